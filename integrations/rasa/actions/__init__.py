"""The team's own actions (a sample): rasa-sdk loads every module of this package (``start --actions actions``)."""
