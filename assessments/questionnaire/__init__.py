"""The questionnaire: task list, section pages, check answers, workflow, comments, history."""
