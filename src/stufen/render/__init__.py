"""Render: the Jinja environment and filters, and every planned Page rendered to bytes."""
