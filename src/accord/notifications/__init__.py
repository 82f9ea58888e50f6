"""Notifications in the app and by e-mail, sent only to those who may see what they announce."""
