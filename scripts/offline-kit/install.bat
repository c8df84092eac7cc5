@echo off
chcp 65001 >nul
rem 离线安装 docgen（Windows 10/11，64 位）：只用本文件夹中的安装包，不联网。
rem 用法：双击本文件，或在命令提示符中运行 install.bat [安装目录]；默认安装到本文件夹下的 docgen\
setlocal
set "KIT=%~dp0"
set "TARGET=%~1"
if "%TARGET%"=="" set "TARGET=%KIT%docgen"

set "PY="
for %%V in (3.13 3.12 3.11 3.10 3.9) do (
    if not defined PY py -%%V -c "" >nul 2>nul && set "PY=py -%%V"
)
if not defined PY (
    python -c "import sys; sys.exit(not (3, 9) <= sys.version_info[:2] <= (3, 13))" >nul 2>nul && set "PY=python"
)
if not defined PY (
    echo 没有找到 Python 3.9–3.13。请先安装 python.org 的 Windows 64 位安装包（安装时勾选“Add python.exe to PATH”），再运行本文件。
    goto :failed
)

%PY% -m venv "%TARGET%\venv" || goto :failed
rem 用 --extra ocr 生成的安装包含文字识别组件：一并安装，扫描件也能读取。
set "PACKAGE=docgen-zwgk"
if exist "%KIT%rapidocr_onnxruntime-*.whl" set "PACKAGE=docgen-zwgk[ocr]"
"%TARGET%\venv\Scripts\python.exe" -m pip install --quiet --no-index --find-links "%KIT%." "%PACKAGE%" || goto :failed
> "%TARGET%\docgen.bat" (
    echo @echo off
    echo chcp 65001 ^>nul
    echo "%TARGET%\venv\Scripts\docgen.exe" %%*
)
echo 安装完成。在命令提示符中运行："%TARGET%\docgen.bat" --help
pause
exit /b 0

:failed
echo 安装没有完成，请把以上信息发给信息化部门。
pause
exit /b 1
