"""`docgen serve` in a real browser (Debian's chromium, driven by Playwright): create a report, type figures
into 表三, see the broken 勾稽 column flagged, fix it, save, download the .docx and find the figures in it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, docx_tables, required_program

SCREENSHOT = ROOT / "docs" / "serve-editor.png"


def _chromium() -> str:
    return shutil.which("chromium-browser") or required_program("chromium", "the browser the web form is tested in")


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "workspace"
    folder.mkdir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "docgen", "serve", str(folder), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as attempt:
            if attempt.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}", folder
    finally:
        process.terminate()
        process.wait(10)


def test_a_clerk_fills_table3_fixes_the_balance_saves_and_downloads(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chromium = _chromium()
    playwright_api = pytest.importorskip("playwright.sync_api")
    url, folder = server
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.goto(url)
        page.fill("input[name=issuer]", "神池县人民政府")
        page.fill("input[name=year]", "2025")
        page.click("#new-blank")
        page.wait_for_url("**/r/**")
        assert (folder / "2025-神池县人民政府.toml").is_file()

        page.fill('input[name="table3.new[0]"]', "37")
        natural = page.locator('.balance .mark[data-column="0"]')
        playwright_api.expect(natural).to_have_class("mark unbalanced")
        playwright_api.expect(page.locator('output[data-figure="table3.new[6]"]')).to_have_text("37")
        playwright_api.expect(page.locator("#problem-list")).to_contain_text("t3-balance")
        playwright_api.expect(page.locator('.field-problems[data-for="table3"]')).to_contain_text("自然人")

        page.fill('input[name="table3.results.granted[0]"]', "30")
        page.fill('input[name="table3.results.unable_to_provide.not_held[0]"]', "7")
        playwright_api.expect(natural).to_have_class("mark balanced")
        playwright_api.expect(page.locator('output[data-figure="table3.results.total[0]"]')).to_have_text("37")
        playwright_api.expect(page.locator("#problem-list")).not_to_contain_text("t3-balance")
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.locator("section.grid[data-table='3']").scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "editor.png"))
        if os.environ.get("DOCGEN_UPDATE_SCREENSHOT"):
            shutil.copy(tmp_path / "editor.png", SCREENSHOT)

        page.click("#save")
        page.wait_for_url("**notice=saved**")
        with page.expect_download() as download_info:
            page.click("#download-docx")
        document = Path(download_info.value.path()).read_bytes()
        browser.close()
    tables = docx_tables(document)
    table3 = next(table for table in tables if any("本年新收政府信息公开申请数量" in "".join(row) for row in table))
    rows = {"".join(cell for cell in row if not cell.isdigit()): row for row in table3}
    new = next(row for label, row in rows.items() if "本年新收" in label)
    granted = next(row for label, row in rows.items() if "予以公开" in label and "部分" not in label)
    assert "37" in new and "30" in granted


def test_a_workbook_saved_with_a_wrong_figure_still_shows_the_edits_after_a_reload(server) -> None:  # type: ignore[no-untyped-def]
    from conftest import EXAMPLE

    import docgen
    from docgen.workbook import workbook_bytes

    chromium = _chromium()
    playwright_api = pytest.importorskip("playwright.sync_api")
    url, folder = server
    book = folder / "2021-保德县.xlsx"
    book.write_bytes(workbook_bytes(docgen.load(EXAMPLE)))
    before = book.read_bytes()
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(url)
        page.click(f"text={'保德县人民政府'}")
        page.wait_for_url("**/r/**")
        page.fill('input[name="report.issuer"]', "保德县政府办公室")
        page.fill('input[name="table3.new[0]"]', "4件")
        page.click("#save")
        page.wait_for_url("**notice=saved-draft**")
        page.reload()
        playwright_api.expect(page.locator('input[name="report.issuer"]')).to_have_value("保德县政府办公室")
        playwright_api.expect(page.locator('input[name="table3.new[0]"]')).to_have_value("4件")
        playwright_api.expect(page.locator("#drafted")).to_be_visible()
        playwright_api.expect(page.locator("#problem-list")).to_contain_text("应为整数")
        browser.close()
    assert book.read_bytes() == before
