"""Reusable input widgets: forgiving date-time entry, room picker, form error display."""
