#!/bin/sh
# 离线安装 docgen（Linux，含统信 UOS、银河麒麟等信创桌面）：只用本文件夹中的安装包，不联网。
# 用法：sh install.sh [安装目录]      默认安装到本文件夹下的 docgen/；PYTHON=/路径/python3 指定所用的 Python
# 装好后运行：安装目录/docgen --help
set -eu
kit=$(cd "$(dirname "$0")" && pwd)
target=${1:-"$kit/docgen"}

python=${PYTHON:-}
[ -n "$python" ] || for candidate in python3.13 python3.12 python3.11 python3.10 python3.9 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(not (3, 9) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null; then
        python=$candidate
        break
    fi
done
if [ -z "$python" ]; then
    echo "没有找到 Python 3.9–3.13。docgen 需要其中一个版本（系统自带的 python3 版本过低时，请联系信息化部门安装）。" >&2
    exit 1
fi
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    echo "$python 缺少 venv 模块。Debian/UOS/麒麟上请安装 python3-venv 软件包后重试。" >&2
    exit 1
fi

mkdir -p "$target"
target=$(cd "$target" && pwd)
"$python" -m venv "$target/venv"
# A kit built with --extra ocr holds the OCR extra's wheels: then scans can be read too.
package=docgen-zwgk
if ls "$kit"/rapidocr_onnxruntime-*.whl >/dev/null 2>&1; then
    package="docgen-zwgk[ocr]"
fi
"$target/venv/bin/python" -m pip install --quiet --no-index --find-links "$kit" "$package"
cat >"$target/docgen" <<LAUNCHER
#!/bin/sh
exec "$target/venv/bin/docgen" "\$@"
LAUNCHER
chmod +x "$target/docgen"
echo "安装完成（$("$python" --version)）。运行：$target/docgen --help"
