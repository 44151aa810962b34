"""Course content: Markdown rendering and the ``courses/`` file loader."""
