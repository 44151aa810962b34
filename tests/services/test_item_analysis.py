"""Item statistics against numbers worked out by hand, plus the flag, None and CSV rules."""

from __future__ import annotations

import csv
import io
import random

import pytest

from lms.services.item_analysis import (
    ALPHA_LABEL,
    AttemptRecord,
    ItemResponse,
    analyse,
    analysis_csv,
)

# key -> (prompt, type, possible, options)
SPEC = {
    "q1": ("党的最高领导机关是？", "single_choice", 1.0, ("A", "B", "C", "D")),
    "q2": ("以下哪些属于党员义务？", "multiple_choice", 2.0, ("A", "B", "C", "D")),
    "q3": ("入党誓词需要宣读。", "true_false", 1.0, ("正确", "错误")),
    "q4": ("简述三会一课。", "short_answer", 2.0, ()),
}


def resp(key: str, earned: float, *choices: str) -> ItemResponse:
    prompt, kind, possible, options = SPEC[key]
    return ItemResponse(key, prompt, kind, earned, possible, choices, options)


def attempt(user: int, number: int, *items: ItemResponse) -> AttemptRecord:
    return AttemptRecord(user, number, items)


# Earned marks (possible: q1=1, q2=2, q3=1, q4=2); q4 is drawn only for u1, u2, u5.
#            q1      q2          q3        q4
# u1 #1   B  1   A,C 2     正确 1     2
# u2 #1   B  1   A   1     正确 1     1
# u3 #1   C  0   C   1     错误 0     -
# u4 #1   B  1   A,C 2     错误 0     -
# u5 #1   A  0   B,D 0     正确 1     0
# u3 #2   B  1   A,C 2     正确 1     -
# u5 #2   B  1   A   1     错误 0     1
DATA = [
    attempt(1, 1, resp("q1", 1, "B"), resp("q2", 2, "A", "C"), resp("q3", 1, "正确"), resp("q4", 2)),
    attempt(2, 1, resp("q1", 1, "B"), resp("q2", 1, "A"), resp("q3", 1, "正确"), resp("q4", 1)),
    attempt(3, 1, resp("q1", 0, "C"), resp("q2", 1, "C"), resp("q3", 0, "错误")),
    attempt(4, 1, resp("q1", 1, "B"), resp("q2", 2, "A", "C"), resp("q3", 0, "错误")),
    attempt(5, 1, resp("q1", 0, "A"), resp("q2", 0, "B", "D"), resp("q3", 1, "正确"), resp("q4", 0)),
    attempt(3, 2, resp("q1", 1, "B"), resp("q2", 2, "A", "C"), resp("q3", 1, "正确")),
    attempt(5, 2, resp("q1", 1, "B"), resp("q2", 1, "A"), resp("q3", 0, "错误"), resp("q4", 1)),
]


def test_hand_computed_statistics() -> None:
    result = analyse(DATA)
    assert (result.attempts, result.first_attempts, result.enough_responses) == (7, 5, False)
    q1, q2, q3, q4 = result.items
    assert [i.attempts for i in result.items] == [7, 7, 7, 4]

    # Facility = mean(earned/possible) over all 7 attempts (4 for q4):
    # q1: (1+1+0+1+0+1+1)/7 = 5/7 = 0.7143
    # q2: (1+.5+.5+1+0+1+.5)/7 = 4.5/7 = 0.6429
    # q3: (1+1+0+0+1+1+0)/7 = 4/7 = 0.5714
    # q4: (1+.5+0+.5)/4 = 0.5
    assert [i.facility for i in result.items] == pytest.approx(
        [5 / 7, 4.5 / 7, 4 / 7, 0.5], abs=1e-3)

    # Discrimination: first attempts only; x = item ratio, y = rest earned / rest possible.
    # r = Sxy / sqrt(Sxx * Syy), S = sums of products of deviations from the mean.
    # q1: x = 1,1,0,1,0 (mean .6, dx = .4,.4,-.6,.4,-.6, Sxx = 3*.16 + 2*.36 = 1.2)
    #     y = u1 5/5=1, u2 3/5=.6, u3 1/3, u4 2/3, u5 1/5=.2  (mean 2.8/5 = .56)
    #     dy = .44, .04, -.2267, .1067, -.36
    #     Syy = .1936+.0016+.0514+.0114+.1296 = .3876
    #     Sxy = .4*.44 + .4*.04 - .6*-.2267 + .4*.1067 - .6*-.36 = .5867
    #     r = .5867 / sqrt(1.2*.3876) = .5867 / .6820 = 0.8603
    # q2: x = 1,.5,.5,1,0 (mean .6, dx = .4,-.1,-.1,.4,-.6, Sxx = .16+.01+.01+.16+.36 = .7)
    #     y = u1 4/4=1, u2 3/4=.75, u3 0/2=0, u4 1/2=.5, u5 1/4=.25 (mean .5)
    #     dy = .5,.25,-.5,0,-.25, Syy = .25+.0625+.25+0+.0625 = .625
    #     Sxy = .2 - .025 + .05 + 0 + .15 = .375
    #     r = .375 / sqrt(.7*.625) = .375 / .6614 = 0.5669
    # q3: x = 1,1,0,0,1 (mean .6, dx = .4,.4,-.6,-.6,.4, Sxx = 1.2)
    #     y = u1 5/5=1, u2 3/5=.6, u3 1/3, u4 3/3=1, u5 0/5=0 (mean 2.9333/5 = .5867)
    #     dy = .4133, .0133, -.2533, .4133, -.5867
    #     Syy = .1708+.0002+.0642+.1708+.3442 = .7502
    #     Sxy = .1653 + .0053 + .1520 - .2480 - .2347 = -.16
    #     r = -.16 / sqrt(1.2*.7502) = -.16 / .9488 = -0.1686
    # q4: only u1, u2, u5. x = 1,.5,0 (mean .5, dx = .5,0,-.5, Sxx = .5)
    #     y = u1 4/4=1, u2 3/4=.75, u5 1/4=.25 (mean 2/3)
    #     dy = .3333, .0833, -.4167, Syy = .1111+.0069+.1736 = .2917
    #     Sxy = .5*.3333 + 0 + -.5*-.4167 = .375
    #     r = .375 / sqrt(.5*.2917) = .375 / .3819 = 0.9820
    assert [i.discrimination for i in result.items] == pytest.approx(
        [0.8603, 0.5669, -0.1686, 0.9820], abs=1e-3)

    # Option counts over all 7 attempts, in option order, unchosen options shown as 0.
    assert q1.option_counts == {"A": 1, "B": 5, "C": 1, "D": 0}
    assert q2.option_counts == {"A": 5, "B": 1, "C": 4, "D": 1}
    assert q3.option_counts == {"正确": 4, "错误": 3}
    assert q4.option_counts == {}
    assert list(q1.option_counts) == ["A", "B", "C", "D"]

    # Cronbach's alpha over q1..q3 (q4 is missing from u3, u4): see the test below.
    assert result.alpha == pytest.approx(5 / 12, abs=1e-3)
    assert all(i.flags == () for i in result.items)  # 7 < 15 responses


def kr20(table: list[list[int]]) -> float:
    """KR-20 straight from its definition: k/(k-1) * (1 - sum(p*q) / var(total))."""
    k, n = len(table[0]), len(table)
    pq = sum(p * (1 - p) for p in (sum(row[i] for row in table) / n for i in range(k)))
    totals = [sum(row) for row in table]
    mean = sum(totals) / n
    return k / (k - 1) * (1 - pq / (sum((t - mean) ** 2 for t in totals) / n))


ZEROED = [[1, 1, 1], [1, 0, 1], [0, 0, 0], [1, 1, 0], [0, 0, 1]]


def test_alpha_counts_partial_credit_as_given() -> None:
    # First attempts, marks earned on q1..q3 (q2 is out of 2: u2 and u3 have half of it):
    #        q1  q2  q3  total
    # u1      1   2   1   4
    # u2      1   1   1   3
    # u3      0   1   0   1
    # u4      1   2   0   3
    # u5      0   0   1   1
    # Item variances (population, divide by 5):
    #   q1: mean .6, squares .16,.16,.36,.16,.36 = 1.2  -> .24
    #   q2: mean 1.2, squares .64,.04,.04,.64,1.44 = 2.8 -> .56
    #   q3: mean .6 -> .24                   sum = 1.04
    # Totals: mean 12/5 = 2.4, squares 2.56,.36,1.96,.36,1.96 = 7.2 -> variance 1.44
    # alpha = 3/2 * (1 - 1.04/1.44) = 1.5 * .4/1.44 = 0.4167
    assert analyse(DATA).alpha == pytest.approx(0.4167, abs=1e-4)
    # KR-20, which must read partial credit as wrong (u2's and u3's q2 -> 0), says otherwise.
    assert kr20(ZEROED) == pytest.approx(0.4615, abs=1e-4)


def right_or_wrong(table: list[list[int]]) -> list[AttemptRecord]:
    return [attempt(u, 1, *(ItemResponse(f"q{i}", f"q{i}", "true_false", float(mark), 1.0, (), ())
                            for i, mark in enumerate(row)))
            for u, row in enumerate(table)]


def test_alpha_equals_kr20_when_every_item_scores_0_or_1() -> None:
    # u1 1,1,1 = 3; u2 1,0,1 = 2; u3 0,0,0 = 0; u4 1,1,0 = 2; u5 0,0,1 = 1
    # p = 3/5, 2/5, 3/5; p*q = .24 each, sum = .72
    # totals mean 8/5 = 1.6, deviations 1.4,.4,-1.6,.4,-.6
    # population variance = (1.96+.16+2.56+.16+.36)/5 = 5.2/5 = 1.04
    # KR20 = 3/2 * (1 - .72/1.04) = 1.5 * .3077 = 0.4615
    assert analyse(right_or_wrong(ZEROED)).alpha == pytest.approx(0.4615, abs=1e-4)
    # And on other 0/1 tables, to the last digit.
    rng = random.Random(13)
    for _ in range(20):
        table = [[rng.randint(0, 1) for _ in range(6)] for _ in range(12)]
        assert analyse(right_or_wrong(table)).alpha == pytest.approx(kr20(table), abs=1e-9)


def many(n: int) -> list[AttemptRecord]:
    """n first attempts: easy always right, hard always wrong, good/good2 right for the first
    8 users, noise right for odd users (phi with the rest ≈ (4*15 - 7*8)/56 = 0.07 at n=15)."""
    def item(key: str, right: bool) -> ItemResponse:
        return ItemResponse(key, key, "single_choice", float(right), 1.0,
                            ("A",) if right else ("B",), ("A", "B"))
    return [attempt(u, 1, item("easy", True), item("hard", False), item("good", u < 8),
                    item("good2", u < 8), item("noise", u % 2 == 1)) for u in range(n)]


def test_flags_need_min_responses() -> None:
    result = analyse(many(15))
    assert result.enough_responses
    flags = {i.question_key: i.flags for i in result.items}
    assert flags == {"easy": ("too_easy",), "hard": ("too_hard",), "good": (), "good2": (),
                     "noise": ("low_discrimination",)}
    noise = result.items[-1]
    assert noise.discrimination == pytest.approx(4 / 56, abs=1e-3)
    assert noise.facility == pytest.approx(7 / 15, abs=1e-3)
    below = analyse(many(14))
    assert not below.enough_responses and all(i.flags == () for i in below.items)
    assert all(i.flags == () for i in analyse(many(15), min_responses=16).items)


def test_zero_variance_and_too_few_first_attempts_give_none() -> None:
    # easy/hard never vary, so their correlation is undefined rather than 0.
    result = analyse(many(15))
    assert result.items[0].discrimination is None and result.items[1].discrimination is None
    # Everyone scores the same: no item varies, total variance 0.
    same = analyse([attempt(u, 1, resp("q1", 1, "B"), resp("q3", 1, "正确")) for u in range(3)])
    assert same.alpha is None and all(i.discrimination is None for i in same.items)
    # One first attempt (second attempts do not count).
    one = analyse([DATA[0], DATA[5], DATA[6]])
    assert one.first_attempts == 1 and one.alpha is None
    assert all(i.discrimination is None for i in one.items)
    # Fewer than 2 items answered in every first attempt.
    split = analyse([attempt(1, 1, resp("q1", 1, "B"), resp("q2", 0, "B")),
                     attempt(2, 1, resp("q1", 0, "A"), resp("q3", 1, "正确"))])
    assert split.alpha is None
    empty = analyse([])
    assert (empty.attempts, empty.items, empty.alpha) == (0, (), None)


def test_item_missing_from_some_attempts_uses_only_attempts_that_have_it() -> None:
    result = analyse(DATA)
    q4 = result.items[3]
    assert q4.attempts == 4 and q4.facility == pytest.approx(0.5, abs=1e-3)
    # An attempt holding a single item has no rest to correlate with; it is skipped.
    alone = analyse([attempt(1, 1, resp("q4", 2)), attempt(2, 1, resp("q4", 0)), *DATA[:2]])
    assert alone.items[0].question_key == "q4"
    assert alone.items[0].attempts == 4
    # Only u1 (x 1, rest 1) and u2 (x .5, rest .75) remain: two points correlate perfectly.
    assert alone.items[0].discrimination == pytest.approx(1.0, abs=1e-3)


def test_csv_has_bom_header_escaping_and_chinese_flags() -> None:
    rows = [attempt(u, 1, ItemResponse("f", "=HYPERLINK(\"x\")", "single_choice", 0.0, 1.0,
                                       ("@A",), ("@A", "B")),
                    ItemResponse("e", "1+1=2", "true_false", 1.0, 1.0, ("正确",), ("正确", "错误")))
            for u in range(15)]
    text = analysis_csv(analyse(rows))
    assert text.startswith("\ufeff题目,题型,作答次数,难度系数(通过率),区分度,选项分布,需复查")
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert table[1] == ["'=HYPERLINK(\"x\")", "single_choice", "15", "0.00", "", "'@A:15 B:0", "过难"]
    assert table[2] == ["1+1=2", "true_false", "15", "1.00", "", "正确:15 错误:0", "过易"]

    lines = list(csv.reader(io.StringIO(analysis_csv(analyse(DATA)).removeprefix("\ufeff"))))
    assert lines[1] == ["党的最高领导机关是？", "single_choice", "7", "0.71", "0.86", "A:1 B:5 C:1 D:0", ""]
    assert lines[3][4] == "-0.17"  # a negative discrimination stays a number
    assert lines[4][5] == ""
    assert lines[-1] == ["内部一致性系数 Cronbach's α（首次作答）", "", "5", "0.42", "", "", ""]

    both = analysis_csv(analyse(many(15)))
    assert "过易" in both and "过难" in both and "区分度低" in both
    assert analysis_csv(analyse([])) == ("\ufeff题目,题型,作答次数,难度系数(通过率),区分度,选项分布,需复查\r\n"
                                         f"{ALPHA_LABEL},,0,,,,\r\n")


def test_joined_flags_and_leading_tab_or_minus_are_escaped() -> None:
    rows = [attempt(u, 1, ItemResponse("x", "-x", "\tfill", 0.0, 1.0, (), ()),
                    ItemResponse("y", "y", "t", float(u % 2), 1.0, (), ())) for u in range(15)]
    # x: always 0 -> too_hard; zero variance, so no discrimination flag.
    line = list(csv.reader(io.StringIO(analysis_csv(analyse(rows)).removeprefix("\ufeff"))))[1]
    assert line[:2] == ["'-x", "'\tfill"] and line[6] == "过难"
    # An item both too hard and poorly discriminating joins its flags with "、".
    mixed = [attempt(u, 1, ItemResponse("z", "z", "t", float(u == 0), 1.0, (), ()),
                     ItemResponse("w", "w", "t", float(u != 1), 1.0, (), ())) for u in range(20)]
    z = analyse(mixed).items[0]
    assert z.flags == ("too_hard", "low_discrimination")
    assert "过难、区分度低" in analysis_csv(analyse(mixed))
