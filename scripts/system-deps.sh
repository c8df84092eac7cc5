#!/usr/bin/env bash
# Debian/Ubuntu packages the tests open documents with: LibreOffice (the real consumer and PDF engine),
# free look-alikes of the official fonts for it, and poppler's pdftotext/pdffonts/pdftoppm. Installs only what is missing.
set -euo pipefail

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing+=(fonts-noto-cjk)
# 楷体 look-alike for the PDF (docgen/fonts/docgen-fonts.conf); Noto CJK covers 仿宋, 宋体, 黑体 and 小标宋.
fc-list 2>/dev/null | grep -q "AR PL KaitiM GB" || missing+=(fonts-arphic-gkai00mp)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v fc-match >/dev/null 2>&1 || missing+=(fontconfig)  # fc-match: which official fonts a PDF shows in look-alikes
# Calc: the tests let LibreOffice recalculate and save the workbooks docgen writes, as Excel or WPS would.
[ -e /usr/lib/libreoffice/program/libsclo.so ] || missing+=(libreoffice-calc-nogui)
# The real browser the published web pages are looked at in (tests/test_publish.py).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "请手动安装 LibreOffice、Noto CJK 字体和 poppler（缺少：${missing[*]}）。" >&2
    echo "Install LibreOffice, Noto CJK fonts and poppler by hand (missing: ${missing[*]})." >&2
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "正在安装系统软件包：${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
