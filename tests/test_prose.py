"""Prose against the tables (rule text-table): a labelled set of sentences in the wording real reports use —
true statements, contradictions and figures about other things — read against one report's tables, with
precision and recall measured (and printed: `pytest tests/test_prose.py -s`)."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLE, ROOT
from prose_final import FINAL
from prose_fresh import FRESH
from prose_lookalikes import LOOKALIKES, PARAGRAPHS
from prose_third import THIRD

import docgen
from docgen import prose
from docgen.derive import derive

# The tables the sentences speak of: 新收 12, 上年结转 3 (收到 15); 予以公开 6, 部分公开 2, 不予公开 1, 无法提供 2,
# 不予处理 1, 其他处理 1 (办结 13); 结转下年度 2; 行政复议 2 (维持 1, 纠正 1), 行政诉讼 1 (纠正 1), so 被纠错 2 in
# all — the review's 纠正 (1) and the combined 被纠错 (2) differ, as they do in real reports; 办结率 86.7%.
ROWS = {
    "new": [10, 2, 0, 0, 0, 0],
    "carried_over": [3, 0, 0, 0, 0, 0],
    "granted": [5, 1, 0, 0, 0, 0],
    "partially_granted": [2, 0, 0, 0, 0, 0],
    "state_secret": [1, 0, 0, 0, 0, 0],
    "not_held": [2, 0, 0, 0, 0, 0],
    "repeated": [1, 0, 0, 0, 0, 0],
    "other": [0, 1, 0, 0, 0, 0],
    "carried_forward": [2, 0, 0, 0, 0, 0],
    "review": [1, 1, 0, 0],
    "litigation_direct": [0, 1, 0, 0],
}

OK, WRONG, NONE = "ok", "wrong", "none"
SENTENCES: list[tuple[str, str]] = [
    # true statements of the tables
    ("2021年，本机关共收到政府信息公开申请15件，其中本年新收12件，上年结转3件。", OK),
    ("本年度新收政府信息公开申请12件。", OK),
    ("全年共受理依申请公开15件。", OK),
    ("共受理政府信息公开申请12件，同比有所增加。", OK),
    ("已办结政府信息公开申请13件，结转下年度继续办理2件。", OK),
    ("其中予以公开6件，部分公开2件，不予公开1件，无法提供2件，不予处理1件，其他处理1件。", OK),
    ("予以公开及部分公开8件。", OK),
    ("结转下年度办理2件。", OK),
    ("发生政府信息公开行政复议2件，行政诉讼1件。", OK),
    ("行政复议、行政诉讼案件共3件。", OK),
    ("政府信息公开申请办结率86.7%。", OK),
    ("依申请公开按期办结率87%。", NONE),  # on time: another measure than 办结率
    ("因政府信息公开工作被纠错2件。", OK),
    ("上年结转政府信息公开申请3件，已全部办结。", OK),
    ("受理政府信息公开申请十五件。", OK),
    ("本年新收申请十二件，上年结转三件。", OK),
    ("收到依申请公开申请15件，均在法定期限内答复。", OK),
    ("全年共接收政府信息公开申请15件。", OK),
    ("对申请人的12件新申请逐一登记。", OK),
    ("其中自然人申请10件，法人或其他组织申请2件。", OK),
    ("共办结政府信息公开申请13件，办结率86.7%。", OK),
    ("本年度无法提供2件，主要是本机关不掌握相关政府信息。", OK),
    ("不予处理1件，为重复申请。", OK),
    ("行政复议2件中，结果维持1件，结果纠正1件。", OK),
    ("因政府信息公开申请被提起行政诉讼1件。", OK),
    ("部分公开2件，均已依法说明理由。", OK),
    ("予以公开6件，占办结总数的46%。", OK),
    ("新收到政府信息公开申请12件。", OK),
    ("累计收到申请15件（含上年结转3件）。", OK),
    ("其他处理1件，系申请人逾期未补正。", OK),
    ("不予公开1件，属于国家秘密。", OK),
    ("全年受理政府信息公开申请15件，办结13件，结转下年度2件。", OK),
    ("行政复议案件2件，行政诉讼案件1件。", OK),
    ("收到的15件申请中，13件已办结。", OK),
    # who applied: natural persons 10 new (+3 carried over), legal persons and other organisations 2
    ("收到政府信息公开申请15件，涉及自然人13件。", OK),
    ("新收申请12件，其中自然人10件，法人或其他组织2件。", OK),
    ("法人申请2件。", OK),
    ("新收申请12件，其中自然人申请11件。", WRONG),
    ("其中法人或其他组织申请4件。", WRONG),
    # outcomes bound to the case kind the sentence names (review 纠正 1, lawsuits 纠正 1, 被纠错 2 together)
    ("行政复议2件，其中结果维持1件，结果纠正1件。", OK),
    ("行政诉讼1件，结果纠正1件。", OK),
    ("行政复议被纠错1件，行政诉讼被纠错1件。", OK),
    ("行政复议和行政诉讼共被纠错2件。", OK),
    ("行政复议尚未审结0件。", OK),
    ("行政复议2件，其中结果纠正2件。", WRONG),
    ("行政诉讼1件，结果维持1件。", WRONG),
    ("行政复议结果维持2件。", WRONG),
    ("行政诉讼案件均获维持。", WRONG),
    ("行政复议尚未审结1件。", WRONG),
    # contradictions
    ("本年度新收政府信息公开申请13件。", WRONG),
    ("共收到政府信息公开申请16件。", WRONG),
    ("全年共受理依申请公开20件。", WRONG),
    ("予以公开5件。", WRONG),
    ("部分公开3件。", WRONG),
    ("不予公开0件。", WRONG),
    ("无法提供1件。", WRONG),
    ("不予处理2件。", WRONG),
    ("其他处理0件。", WRONG),
    ("结转下年度继续办理3件。", WRONG),
    ("上年结转政府信息公开申请4件。", WRONG),
    ("予以公开及部分公开9件。", WRONG),
    ("发生政府信息公开行政复议1件。", WRONG),
    ("行政诉讼0件。", WRONG),
    ("行政复议、行政诉讼案件共2件。", WRONG),
    ("未发生政府信息公开行政复议和行政诉讼。", WRONG),
    ("未发生因政府信息公开引起的行政诉讼。", WRONG),
    ("政府信息公开申请办结率100%。", WRONG),
    ("依申请公开办结率达到95%。", WRONG),
    ("政府信息公开行政复议案件均获维持。", WRONG),
    ("已办结政府信息公开申请15件。", WRONG),
    ("受理政府信息公开申请十二件，其中上年结转五件。", WRONG),
    ("本年新收申请十件。", WRONG),
    ("因政府信息公开工作被纠错3件。", WRONG),
    ("共办结政府信息公开申请11件。", WRONG),
    ("其中予以公开7件，部分公开2件。", WRONG),
    ("收到依申请公开申请14件，均已按时答复。", WRONG),
    ("全年接收政府信息公开申请18件。", WRONG),
    ("行政复议案件3件，行政诉讼案件1件。", WRONG),
    ("新收到政府信息公开申请11件。", WRONG),
    # figures about other things, and sentences with no figure of the tables
    ("全年主动公开政府信息1841条。", NONE),
    ("12345政务热线共受理各类群众诉求1503件，办结率98.8%。", NONE),
    ("13710制度平台接收市级事项134个，办结125个，办结率93%。", NONE),
    ("组织政务公开培训3次，参训人员120人。", NONE),
    ("发布政策解读12篇，图解5件。", NONE),
    ("政府网站发布信息2356条，其中工作动态1200条。", NONE),
    ("召开新闻发布会5场。", NONE),
    ("收到人大代表建议15件、政协提案8件，均已办结。", NONE),
    ("依申请公开工作进一步规范。", NONE),
    ("处理网民留言230条，办结228条。", NONE),
    ("全年受理信访事项45件，办结43件。", NONE),
    ("制定完善依申请公开工作制度2项。", NONE),
    ("政务公开专栏更新信息356条。", NONE),
    ("开展政府开放日活动4次。", NONE),
    ("修订完善主动公开基本目录1个。", NONE),
    ("本机关在2021年1月1日至12月31日期间开展工作。", NONE),
    ("办理各类事项办结率99%。", NONE),
    ("县政府常务会议审议文件16件。", NONE),
    ("清理规范性文件52件，废止8件。", NONE),
    ("政务新媒体发布信息1200余条。", NONE),
    ("受理行政许可事项3560件。", NONE),
    ("全年共收到来信来访12件。", NONE),
    ("设置政府信息公开申请受理点3个。", NONE),
    ("县长信箱受理群众来信56件，办结56件。", NONE),
    # found by review after the rule was written: comparisons, parts, times, rates of another measure
    ("新收申请较上年减少5件。", NONE),
    ("收到申请同比增加3件。", NONE),
    ("申请中涉及征地拆迁的8件。", NONE),
    ("答复申请人2次。", NONE),
    ("政府信息公开申请按时办结率100%。", NONE),
    # found by review of the patterns added after the first unseen set: one case's outcome, 各 (each), 或
    ("行政复议2件，其中1件结果维持，1件结果纠正。", OK),
    ("行政复议2件，1件结果为维持，1件结果为纠正。", OK),
    ("行政复议、行政诉讼各1件，结果均为维持。", WRONG),
]


# Held out: written after the rule's last change and run once, unchanged, to measure it (not tuned on).
HELD_OUT: list[tuple[str, str]] = [
    ("2021年度，我单位共计收到政府信息公开申请15件。", OK),
    ("本年度新收政府信息公开申请共12件，另有上年结转申请3件。", OK),
    ("对收到的申请，予以公开6件，部分公开2件。", OK),
    ("全年办结政府信息公开申请13件，另有2件结转下年度办理。", OK),
    ("因信息不存在无法提供2件。", OK),
    ("全年发生政府信息公开行政复议案件2件，其中维持1件、纠正1件。", OK),
    ("涉及政府信息公开的行政诉讼1件，结果为纠正。", OK),
    ("政府信息公开工作被纠错2件，已全部整改到位。", OK),
    ("本年度依申请公开办结率为86.7%。", OK),
    ("不予处理的1件为重复申请。", OK),
    ("接收依申请公开申请十五件。", OK),
    ("2021年本机关新收到政府信息公开申请12件，同比持平。", OK),
    ("共受理政府信息公开申请15件，其中新收12件。", OK),
    ("2021年共收到政府信息公开申请17件。", WRONG),
    ("新收政府信息公开申请9件。", WRONG),
    ("予以公开4件，部分公开2件。", WRONG),
    ("全年办结政府信息公开申请14件。", WRONG),
    ("全年发生政府信息公开行政复议案件3件。", WRONG),
    ("行政复议结果纠正2件。", WRONG),
    ("行政诉讼结果维持1件。", WRONG),
    ("本年度未发生政府信息公开行政诉讼案件。", WRONG),
    ("依申请公开办结率为100%。", WRONG),
    ("结转下年度继续办理4件。", WRONG),
    ("因信息不存在无法提供5件。", WRONG),
    ("不予公开3件。", WRONG),
    ("全县政务服务中心受理办件12万件，办结率99.9%。", NONE),
    ("全年在政府网站公开政策文件86件。", NONE),
    ("组织召开政务公开工作推进会2次。", NONE),
    ("办理人大代表建议和政协委员提案共计41件。", NONE),
    ("收到群众来电咨询30余件，均已答复。", NONE),
    ("新收申请比上年增加4件。", NONE),
    ("申请内容涉及土地征收的5件。", NONE),
    ("全年共清理废止规范性文件8件。", NONE),
    ("12345热线转办工单320件，按期办结率100%。", NONE),
]


@pytest.fixture(scope="module")
def table() -> prose.Figures:
    text = EXAMPLE.read_text(encoding="utf-8")
    for name, values in ROWS.items():
        text, count = re.subn(rf"^{name} = .*$", f"{name} = {values}", text, count=1, flags=re.M)
        assert count == 1, name
    text = re.sub(r"^total = .*$", "", text, flags=re.M)
    report = docgen.loads(text, "labelled.toml")
    assert [problem.rule for problem in docgen.check(report) if problem.severity.value == "error"] == []
    return prose.figures(derive(report), report.report.year)


def test_the_labelled_set_is_large_and_varied() -> None:
    labels = [label for _, label in SENTENCES]
    assert len(SENTENCES) >= 80 and len(set(sentence for sentence, _ in SENTENCES)) == len(SENTENCES)
    assert min(labels.count(OK), labels.count(WRONG), labels.count(NONE)) >= 20


def test_precision_and_recall_on_the_labelled_set(table: prose.Figures) -> None:
    flagged = {sentence: list(prose.contradictions(sentence, table, in_requests=True)) for sentence, _ in SENTENCES}
    true_alarms = sum(bool(flagged[sentence]) for sentence, label in SENTENCES if label == WRONG)
    false_alarms = [sentence for sentence, label in SENTENCES if label != WRONG and flagged[sentence]]
    missed = [sentence for sentence, label in SENTENCES if label == WRONG and not flagged[sentence]]
    alarms = true_alarms + len(false_alarms)
    precision = true_alarms / alarms if alarms else 1.0
    recall = true_alarms / sum(label == WRONG for _, label in SENTENCES)
    print(f"\ntext-table on {len(SENTENCES)} sentences: precision {precision:.3f}, recall {recall:.3f}")
    print("false alarms:", false_alarms)
    print("missed:", missed)
    assert precision >= 0.95 and recall >= 0.9, (false_alarms, missed)


def test_precision_and_recall_on_the_held_out_set(table: prose.Figures) -> None:
    flagged = {sentence: list(prose.contradictions(sentence, table, in_requests=True)) for sentence, _ in HELD_OUT}
    wrong = [sentence for sentence, label in HELD_OUT if label == WRONG]
    false_alarms = [sentence for sentence, label in HELD_OUT if label != WRONG and flagged[sentence]]
    missed = [sentence for sentence in wrong if not flagged[sentence]]
    alarms = len(wrong) - len(missed) + len(false_alarms)
    precision = (len(wrong) - len(missed)) / alarms if alarms else 1.0
    recall = (len(wrong) - len(missed)) / len(wrong)
    print(f"\ntext-table on {len(HELD_OUT)} held-out sentences: precision {precision:.3f}, recall {recall:.3f}")
    print("false alarms:", false_alarms)
    print("missed:", missed)
    assert not set(HELD_OUT) & set(SENTENCES)
    assert precision >= 0.9 and recall >= 0.8, (false_alarms, missed)


def _precision_and_recall(labelled: list[tuple[str, str]], table: prose.Figures) -> tuple[float, float, int]:
    """Of the sentences flagged, the share labelled wrong; of those labelled wrong, the share flagged."""
    flagged = [bool(list(prose.contradictions(sentence, table, in_requests=True))) for sentence, _ in labelled]
    true_alarms = sum(hit and label == WRONG for hit, (_, label) in zip(flagged, labelled))
    wrong = sum(label == WRONG for _, label in labelled)
    return (true_alarms / sum(flagged) if any(flagged) else 1.0), (true_alarms / wrong if wrong else 1.0), wrong


def _per_kind(name: str, labelled: list[tuple[str, str, str]], table: prose.Figures) -> tuple[float, float]:
    """Precision and recall per kind of statement (printed with -s), with every miss and false alarm; and
    over the whole set."""
    print(f"\ntext-table on {len(labelled)} sentences of {name}, per kind (precision, recall, wrong/all):")
    for kind in sorted({kind for _, _, kind in labelled}):
        of_kind = [(sentence, label) for sentence, label, of in labelled if of == kind]
        precision, recall, wrong = _precision_and_recall(of_kind, table)
        print(f"  {kind:16} {precision:.3f} {recall:.3f} {wrong}/{len(of_kind)}")
    for sentence, label, kind in labelled:
        hit = bool(list(prose.contradictions(sentence, table, in_requests=True)))
        if hit != (label == WRONG):
            print("  false alarm:" if hit else "  missed:", kind, sentence)
    precision, recall, _ = _precision_and_recall([(sentence, label) for sentence, label, _ in labelled], table)
    print(f"  all              {precision:.3f} {recall:.3f}")
    return precision, recall


def test_precision_and_recall_per_kind_on_the_first_unseen_set(table: prose.Figures) -> None:
    """Written by someone who saw neither the rule nor its tuned sentences; run once (precision 1.000, recall
    0.641), then tuned on: the misses it showed were fixed."""
    assert len(FRESH) >= 60 and not {sentence for sentence, _, _ in FRESH} & {s for s, _ in SENTENCES + HELD_OUT}
    precision, recall = _per_kind("the first unseen set", FRESH, table)
    assert precision >= 0.95 and recall >= 0.9


def test_precision_and_recall_per_kind_on_the_second_unseen_set(table: prose.Figures) -> None:
    """A second set, written as the first after the rule's changes for it, and run once (precision 1.000,
    recall 0.869); later changes came from a review of false alarms and from the third set, not from it."""
    earlier = {sentence for sentence, _ in SENTENCES + HELD_OUT} | {sentence for sentence, _, _ in FRESH}
    assert len(FINAL) >= 100 and not {sentence for sentence, _, _ in FINAL} & earlier
    precision, recall = _per_kind("the second unseen set", FINAL, table)
    assert precision == 1.0 and recall >= 0.85


def test_precision_and_recall_per_kind_on_the_third_unseen_set(table: prose.Figures) -> None:
    """A third set, written as the others with the look-alikes of real reports in mind (outcomes listed per
    case, a 司法局's caseload, other years, other rates), after the review's changes. Run once (precision
    0.935: 3 false alarms; recall 0.782), then tuned on: the false alarms were fixed, and four misses."""
    earlier = {sentence for sentence, _ in SENTENCES + HELD_OUT} | {sentence for sentence, _, _ in FRESH + FINAL}
    assert len(THIRD) >= 80 and not {sentence for sentence, _, _ in THIRD} & earlier
    precision, recall = _per_kind("the third unseen set", THIRD, table)
    assert precision == 1.0 and recall >= 0.85


def test_a_contradiction_names_the_sentence_and_both_figures(make_data) -> None:  # type: ignore[no-untyped-def]
    path = make_data(
        (
            r"^  \"依据《中华人民共和国政府信息公开条例》",
            '  "本年度共收到政府信息公开申请9件。依据《中华人民共和国政府信息公开条例》',
        ),
    )
    (problem,) = [p for p in docgen.check(path) if p.rule == "text-table"]
    assert problem.severity.value == "warning" and (problem.actual, problem.expected) == (9, 4)
    assert "“本年度共收到政府信息公开申请9件。”" in problem.message and "表中为 4" in problem.message
    assert problem.line is not None and problem.key.startswith("overview.paragraphs")


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.toml")), ids=lambda path: path.stem)
def test_no_false_alarm_on_any_example(example) -> None:  # type: ignore[no-untyped-def]
    assert [problem for problem in docgen.check(example) if problem.rule == "text-table"] == []


def test_figures_quoted_with_expressions_always_agree(make_data) -> None:  # type: ignore[no-untyped-def]
    path = make_data(
        (
            r"^  \"依据《中华人民共和国政府信息公开条例》",
            '  "本年度共收到政府信息公开申请{{ table3.new.total }}件。依据《中华人民共和国政府信息公开条例》',
        ),
    )
    assert [p for p in docgen.check(path) if p.rule == "text-table"] == []


def test_a_sentence_with_no_subject_of_its_own_goes_on_with_the_one_before(table: prose.Figures) -> None:
    after_applications = "本年度共收到政府信息公开申请15件，办结13件。办结率为92.3%。"
    (found,) = prose.contradictions(after_applications, table)
    assert (found.sentence, found.stated, found.means) == ("办结率为92.3%。", "92.3%", "rate")
    assert list(prose.contradictions("全年主动公开政府信息1841条。办结率为92.3%。", table)) == []
    assert list(prose.contradictions("办结率为92.3%。", table)) == []  # said of nothing: not compared
    assert list(prose.contradictions("共收到政府信息公开申请15件。12345热线办结率为92.3%。", table)) == []


# Found by a review of the rule against real report wording: each was a false alarm.
LISTED_OUTCOMES = [
    "行政复议2件，结果维持、纠正各1件。",
    "行政复议2件，结果维持和纠正各1件。",
    "行政复议2件，结果为维持（1件）、纠正（1件）。",
    "行政复议2件，结果维持的1件，纠正的1件。",
    "行政复议2件，结果维持原决定1件，纠正1件。",
    "行政复议2件，结果纠正率50%。",
    "共收到申请15件，办结13，2件结转下年度继续办理。",
    "2020年度有3件申请结转至2021年度办理。",
    "2020年度结转至2021年度的申请3件已全部办结。",
    "共收到政府信息公开申请15件。办结行政许可审批120件。",
    "共收到政府信息公开申请15件。同时，答复媒体问询8件。",
    "共收到政府信息公开申请15件。2021年度，办结各类行政复议案件30件。",
]
NONE_CORRECTED = [
    "未发生行政复议被纠错情况。",
    "未出现行政复议、行政诉讼被纠错的情况。",
    "没有出现行政复议结果被纠正的情况。",
    "未出现行政诉讼败诉情况。",
]


@pytest.mark.parametrize("text", LISTED_OUTCOMES)
def test_outcomes_listed_other_years_and_other_subjects_are_no_contradiction(text: str, table: prose.Figures) -> None:
    assert list(prose.contradictions(text, table)) == []


def test_none_corrected_is_said_of_the_outcome_not_of_the_cases(table: prose.Figures) -> None:
    all_upheld = {**table, "review_corrected": 0, "litigation_corrected": 0, "corrected": 0}
    for text in NONE_CORRECTED:
        assert list(prose.contradictions(text, all_upheld)) == [], text  # 2 reviews and a lawsuit, none lost
        (found,) = prose.contradictions(text, table)  # one review and the lawsuit were lost
        assert found.stated == 0 and found.means.endswith("corrected"), text


def test_a_claim_of_all_the_new_applications_is_held_to_the_new(table: prose.Figures) -> None:
    only_people_new = {**table, "natural_new": table["new"]}  # a legal person's application carried over
    assert list(prose.contradictions("本年新收的全部申请均由自然人提出。", only_people_new)) == []
    (found,) = prose.contradictions("本年新收的全部申请均由自然人提出。", table)
    assert (found.stated, found.table, found.means) == (12, 10, "natural_new")


def test_look_alikes_a_review_found_are_no_contradiction(table: prose.Figures) -> None:
    flagged = [text for text in LOOKALIKES if list(prose.contradictions(text, table, in_requests=True))]
    assert len(LOOKALIKES) >= 60 and flagged == []


@pytest.mark.parametrize("in_requests", [False, True], ids=["elsewhere", "in 依申请公开"])
def test_paragraphs_of_real_wording_a_review_wrote_are_no_contradiction(
    table: prose.Figures, in_requests: bool
) -> None:
    flagged = [
        (found.sentence, found.means, found.stated)
        for text in PARAGRAPHS
        for found in prose.contradictions(text, table, in_requests=in_requests)
    ]
    assert len(PARAGRAPHS) >= 100 and flagged == []


def test_all_upheld_is_said_of_the_case_kind_nearest_before_it(table: prose.Figures) -> None:
    reviews_upheld = {**table, "review_upheld": 2, "review_corrected": 0, "corrected": 1}
    for text in ("行政诉讼1件被纠正，行政复议2件均获维持。", "行政诉讼案件1件被法院判决纠正，2件行政复议均获维持。"):
        assert list(prose.contradictions(text, reviews_upheld)) == [], text
        (found,) = prose.contradictions(text, table)  # one review was corrected
        assert found.means == "review_corrected", text


def test_every_figure_a_sentence_may_contradict_is_named_in_the_message(table: prose.Figures) -> None:
    """check words each contradiction with the message of the figure it means (prose-<figure>)."""
    from docgen.messages import message

    outcomes = {f"{kind}{outcome}" for outcome in prose._OUTCOMES for kind in ("", "review_", "litigation_")}
    claimed = {"rate", "natural_new", "natural_received", "carried_over", *prose._NEGATED_MEANS.values()}
    means = {term.means[0] for term in prose.TERMS} | outcomes | claimed
    for name in sorted(means):
        assert name in table and message(f"prose-{name}").strip(), name


def test_bare_applications_are_read_in_the_part_on_applications_only() -> None:
    """受理申请 9 件 names no kind of application: in 一（二）依申请公开 it is of these; in another part (a
    便民服务中心's, a 窗口's) it is not compared."""
    township = (ROOT / "examples" / "2021-township.toml").read_text(encoding="utf-8")
    in_requests = township.replace(
        "全年收到政府信息公开申请{{ table3.new.total }}件，均按时答复。", "全年受理申请9件。"
    )
    elsewhere = township.replace("建立信息发布审核制度，做到先审后发。", "全年受理申请9件。")
    assert in_requests != township and elsewhere != township
    (found,) = [p for p in docgen.check(docgen.loads(in_requests, "t.toml")) if p.rule == "text-table"]
    assert found.actual == 9 and found.key.startswith("overview.sections[1]")
    assert [p for p in docgen.check(docgen.loads(elsewhere, "t.toml")) if p.rule == "text-table"] == []


def test_a_contradiction_quotes_the_sentence_as_printed(table: prose.Figures) -> None:
    printed = "全年发生行政复议案件15件，其中涉及政府信息公开的行政复议3件（含上年度1件）。"
    (found,) = prose.contradictions(printed, table)  # read from 涉及政府信息公开 on, brackets aside
    assert (found.sentence, found.stated, found.means) == (printed, 3, "review")
