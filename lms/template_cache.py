"""Compiled templates kept in the instance folder for the next start of a worker.

A restarted worker otherwise compiles every template again on its first pages (about 50-70
ms of the first module page). Jinja checks each template's source before using what it kept,
so an edited template is compiled anew; the folder is named after Jinja's version, so an
upgraded Jinja never loads code compiled by another. Keeping is never worth a failed page: a
folder that cannot be made means no cache, and one that goes away or fills up while the app
runs only costs the compiling.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import jinja2
from flask import Flask
from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket

log = logging.getLogger(__name__)


class KeptTemplates(FileSystemBytecodeCache):
    """Jinja's file cache, except that failing to write only means not keeping."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as error:
            log.warning("a compiled template was not kept (%s): %s", self.directory, error)


def keep_compiled_templates(app: Flask) -> None:
    """Give the app's Jinja environment the cache (before the environment is first used)."""
    folder = Path(app.instance_path) / "template-cache" / f"jinja-{jinja2.__version__}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # its files are loaded as code
        tempfile.NamedTemporaryFile(dir=folder).close()
    except OSError as error:
        app.logger.warning("compiled templates are not kept (%s): %s", folder, error)
        return
    app.jinja_options = {**app.jinja_options, "bytecode_cache": KeptTemplates(str(folder))}
