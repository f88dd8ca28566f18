"""Edit a .docx in LibreOffice as a reviewer would, through UNO; run by the system Python.

Usage: lo_edit.py SOFFICE PROFILE SOURCE TARGET plain|tracked AUTHOR COMMENT
       BODY_CONTEXT BODY_OLD BODY_NEW NOTE_CONTEXT NOTE_OLD NOTE_NEW
       CELL_OLD CELL_NEW TOTAL_OLD TOTAL_NEW SIGNER_OLD SIGNER_NEW

Each edit replaces OLD where CONTEXT (or OLD itself) is found; with `tracked` the changes are
recorded as tracked changes by AUTHOR. Comments the document holds are saved again by
LibreOffice; a comment inserted through UNO is not: LibreOffice 7.4 stops while saving any
document holding one (Annotation text field, or .uno:InsertAnnotation), headless.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(soffice: str, profile: Path):
    pipe = f"vanban-{uuid.uuid4().hex}"
    process = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(120):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return process, context
        except NoConnectException:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("LibreOffice did not start")


def set_author(context, author: str) -> None:
    provider = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.UserProfile/Data"),),
    )
    given, _, family = author.rpartition(" ")
    access.setPropertyValue("givenname", given)
    access.setPropertyValue("sn", family)
    access.commitChanges()


def replace_in(text, whole: str, context: str, old: str, new: str):
    """Replace old inside the first occurrence of context in an XText's string."""
    at = whole.find(context)
    if at < 0:
        return None
    at += context.index(old)
    cursor = text.createTextCursor()
    cursor.gotoStart(False)
    cursor.goRight(at, False)
    cursor.goRight(len(old), True)
    cursor.setString(new)
    return cursor


def replace_found(document, context: str, old: str, new: str):
    """Replace old inside the first match of context found in the document (body, tables)."""
    search = document.createSearchDescriptor()
    search.SearchString = context
    found = document.findFirst(search)
    if found is None:
        raise SystemExit(f"not found: {context!r}")
    cursor = found.getText().createTextCursorByRange(found.getStart())
    cursor.goRight(context.index(old), False)
    cursor.goRight(len(old), True)
    cursor.setString(new)
    return cursor


def main(argv: list[str]) -> int:
    soffice, profile, source, target, mode, author, _comment = argv[:7]
    body, note, cell, total, signer = (
        argv[7:10],
        argv[10:13],
        argv[13:15],
        argv[15:17],
        argv[17:19],
    )
    process, context = connect(soffice, Path(profile))
    try:
        set_author(context, author)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        document = None
        for _ in range(20):  # None while the office is still starting
            document = desktop.loadComponentFromURL(
                Path(source).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),)
            )
            if document is not None:
                break
            time.sleep(0.5)
        if mode == "tracked":
            document.RecordChanges = True
        replace_found(document, *body)
        for footnote in document.getFootnotes():
            if replace_in(footnote, footnote.getString(), *note):
                break
        else:
            raise SystemExit(f"footnote not found: {note[0]!r}")
        replace_found(document, cell[0], cell[0], cell[1])
        replace_found(document, total[0], total[0], total[1])
        replace_found(document, signer[0], signer[0], signer[1])
        document.storeToURL(
            Path(target).resolve().as_uri(), (prop("FilterName", "MS Word 2007 XML"),)
        )
        document.close(True)
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge closes as the office quits
            pass
    finally:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
    return 0 if os.path.exists(target) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
