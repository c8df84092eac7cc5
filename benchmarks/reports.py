"""Varied, valid reports for the benchmarks: every report its own issuer, figures and narrative (one text
repeated 200 times would flatter every cache on the way)."""

from __future__ import annotations

import copy
import random
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "2021-baode.toml"
COUNTIES = ["保德", "河曲", "偏关", "神池", "五寨", "岢岚", "静乐", "宁武", "代县", "繁峙", "原平", "定襄"]
BODIES = [
    "人民政府",
    "发展和改革局",
    "教育局",
    "公安局",
    "民政局",
    "财政局",
    "自然资源局",
    "住房和城乡建设局",
    "交通运输局",
]
SENTENCES = [
    "全年共受理政府信息公开申请{{ table3.new.total }}件，均在法定期限内答复。",
    "主动公开政府信息{{ figures.hotline.consulting }}条，其中政策解读{{ figures.hotline.help }}篇。",
    "进一步规范依申请公开办理流程，建立台账，做到件件有登记、有回复、有存档。",
    "加强政府网站和政务新媒体管理，及时更新栏目内容，确保信息准确、权威、及时。",
    "围绕优化营商环境、乡村振兴、疫情防控等重点领域，加大信息公开力度。",
    "组织开展政务公开业务培训{{ figures.hotline.reports }}次，提升工作人员业务能力。",
]


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` as `parts` non-negative numbers that add up to it."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def varied(data: dict[str, Any], number: int) -> dict[str, Any]:
    rng = random.Random(number)
    report = copy.deepcopy(data)
    report["report"]["issuer"] = f"{rng.choice(COUNTIES)}县{rng.choice(BODIES)}第{number + 1}号"
    for group in report["table2"].values():
        if isinstance(group, dict):
            for key in group:
                group[key] = rng.randint(0, 60)
    for key in ("licensing", "punishment", "enforcement"):
        report["table2"][key] = rng.randint(0, 20000)
    table3 = report["table3"]
    results = table3["results"]
    for column in range(6):
        new, carried_over = rng.randint(0, 400), rng.randint(0, 20)
        forward = rng.randint(0, min(10, new + carried_over))
        rows = [("granted",), ("partially_granted",), ("unable_to_provide", "not_held"), ("withheld", "state_secret")]
        rows += [("not_processed", "repeated"), ("other", "other")]
        for row, share in zip(rows, _split(new + carried_over - forward, len(rows), rng)):
            target = results
            for key in row[:-1]:
                target = target[key]
            target[row[-1]][column] = share
        table3["new"][column], table3["carried_over"][column] = new, carried_over
        table3["carried_forward"][column] = forward
    for row in report["table4"].values():
        for column in range(len(row)):
            row[column] = rng.randint(0, 6)
    for key in report["figures"]["hotline"]:
        report["figures"]["hotline"][key] = rng.randint(0, 900)
    paragraphs = report["overview"]["paragraphs"]
    extra = rng.sample(SENTENCES, rng.randint(1, len(SENTENCES)))
    paragraphs.append("".join(extra) * rng.randint(1, 4))
    sections = report["overview"]["sections"]
    rng.shuffle(sections)
    return report


def varied_reports(folder: Path, count: int) -> list[Path]:
    """`count` different valid data files (TOML) in `folder`."""
    import tomlkit

    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"report-{number:04d}.toml"
        path.write_text(tomlkit.dumps(varied(data, number)), encoding="utf-8")
        paths.append(path)
    return paths
