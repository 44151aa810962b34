"""Built-in event listeners, registered through the ``lms.listeners`` entry-point group."""
