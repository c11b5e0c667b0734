"""Ruling metadata read from the text, field by field, in Russian, Kazakh and English; and the measured
sets: the eight dev-eval rulings and the rulings written for these tests (tests/data/rulings)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.extract.cleanup import clean_text
from ingest.ruling import ruling_metadata
from ingest.ruling.articles import find_articles
from ingest.ruling.case_number import find_case_number
from ingest.ruling.court import find_court
from ingest.ruling.dates import find_decision_date
from ingest.ruling.judge import find_judge
from tests.conftest import SHARED
from tests.needs import needs

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("head", "court"),
    [
        ("СПЕЦИАЛИЗИРОВАННЫЙ АДМИНИСТРАТИВНЫЙ СУД ГОРОДА ШЫМКЕНТ\n\nПОСТАНОВЛЕНИЕ", None),
        ("Медеуский районный суд г. Алматы\n\nДело № 1-1/2020", "Медеуский районный суд г. Алматы"),
        ("СМАС г. Алматы\n\nПОСТАНОВЛЕНИЕ", "СМАС г. Алматы"),
        ("ЖАМБЫЛ ОБЛЫСЫ\nШУ АУДАНЫНЫҢ МАМАНДАНДЫРЫЛҒАН ӘКІМШІЛІК СОТЫ\n\nҚАУЛЫ",
         "ЖАМБЫЛ ОБЛЫСЫ ШУ АУДАНЫНЫҢ МАМАНДАНДЫРЫЛҒАН ӘКІМШІЛІК СОТЫ"),
        ("Қарасай аудандық соты\n\nШЕШІМ", "Қарасай аудандық соты"),
        ("RULING\n\nAlmaty City Court\nCase No. 1-2/2021", "Almaty City Court"),
        ("ПРИГОВОР\n\nУральский городской суд Западно-Казахстанской области в составе судьи Ахметова А.А.,",
         "Уральский городской суд Западно-Казахстанской области"),
    ],
)  # fmt: skip
def test_court(head, court):
    expected = court or "Специализированный административный суд города Шымкент"
    text = head + "\n\nСпециализированный административный суд города Шымкент в составе судьи"
    assert find_court(head, text) == expected


def test_a_court_appealed_to_is_not_the_court():
    head = "ПОСТАНОВЛЕНИЕ\n\nДело № 1-2/2020\n\nПостановление может быть обжаловано в областной суд."
    assert find_court(head, head) is None


@pytest.mark.parametrize(
    ("head", "number"),
    [
        ("Дело № 5990-20-00-3/418\n4 февраля 2020 года", "5990-20-00-3/418"),
        ("Дело №1-123/2020", "1-123/2020"),
        ("ОРАЛ ҚАЛАСЫНЫҢ № 2 МАМАНДАНДЫРЫЛҒАН ӘКІМШІЛІК СОТЫ\n\n№ 2712-20-00-3/402 іс", "2712-20-00-3/402"),
        ("Іс № 1913-23-00-2/455", "1913-23-00-2/455"),
        ("Case No. 7594-20-00-3/2206.", "7594-20-00-3/2206"),
        ("Case number: 7511-21-00-1a/98", "7511-21-00-1a/98"),
        ("ОРАЛ ҚАЛАСЫНЫҢ № 2 МАМАНДАНДЫРЫЛҒАН ӘКІМШІЛІК СОТЫ", None),
    ],
)
def test_case_number(head, number):
    assert find_case_number(head) == number


@pytest.mark.parametrize(
    ("head", "day"),
    [
        ("Дело № 1\n4 февраля 2020 года    г. Шымкент", "2020-02-04"),
        ("«06» января 2022 года", "2022-01-06"),
        ("2020 жылғы 27 қаңтар    Шу қаласы", "2020-01-27"),
        ("2021 жылғы «12» ақпан", "2021-02-12"),
        ("22 February 2020    Almaty", "2020-02-22"),
        ("May 12, 2020", "2020-05-12"),
        ("г. Актобе    23.06.2021", "2021-06-23"),
        ("Date: 2021-08-04", "2021-08-04"),
        ("Нурланова Е., 14.03.1988 года рождения, 12 мая 2020 года", "2020-05-12"),
        ("Tulegen Zhukeev, born 12 June 1970; 22 February 2020", "2020-02-22"),
        ("31 февраля 2020 года", None),
    ],
)
def test_decision_date(head, day):
    assert find_decision_date(head) == day


@pytest.mark.parametrize(
    ("text", "articles"),
    [
        ("предусмотренного частью 3 статьи 488 КоАП", ["488"]),
        ("по ч. 2 ст. 174 УК; руководствуясь статьями 821, 822 КоАП", ["174", "821", "822"]),
        ("статьями 393-397 УПК", ["393", "397"]),
        ("статьи 73-1 КоАП", ["73-1"]),
        ("ӘҚБтК-нің 488-бабының 6-бөлігінде", ["488"]),
        ("Кодекстің 174-бабы; ӘҚБтК-нің 821, 822-баптарын басшылыққа алып", ["174", "821", "822"]),
        ("under Part 1 of Article 488; guided by Articles 821 and 822", ["488", "821", "822"]),
        ("2020 жылғы 27 қаңтар, 10 тәулік", []),
    ],
)
def test_articles(text, articles):
    assert find_articles(text) == articles


@pytest.mark.parametrize(
    ("text", "judge"),
    [
        ("…\n\nСудья                                   Г. С. Абдрахманова\n", "Г. С. Абдрахманова"),
        ("в составе председательствующего судьи Тлеубаева Р.М., при секретаре", "Тлеубаева Р.М."),
        ("төрағалық етуші судья Байжанова Г.М., хатшы", "Байжанова Г.М."),
        ("…\n\nТөраға                          Т.Ж. Смағұлов", "Т.Ж. Смағұлов"),
        ("…\n\nJudge                           Zh. Assanov", "Zh. Assanov"),
        ("в составе судьи [обезличено], при секретаре\n\nСудья           [подпись обезличена]", None),
    ],
)
def test_judge(text, judge):
    assert find_judge(text) == judge


def _truth(path: Path) -> dict[str, dict]:
    return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def _folded(fields: dict) -> dict:
    return {
        key: [v.casefold() for v in value]
        if isinstance(value, list)
        else " ".join(str(value).split()).casefold()
        for key, value in fields.items()
    }


@pytest.mark.parametrize("name", sorted(_truth(DATA / "rulings" / "expected.json")))
def test_written_rulings(name):
    text = clean_text((DATA / "rulings" / name).read_text(encoding="utf-8"))  # as extraction leaves it
    assert _folded(ruling_metadata(text)) == _folded(_truth(DATA / "rulings" / "expected.json")[name])


@needs(SHARED.exists(), "../shared beside the repository")
@pytest.mark.parametrize("name", sorted(_truth(DATA / "dev_eval_rulings.json")))
def test_dev_eval_rulings(name):
    text = clean_text((SHARED / "dev-eval" / "docs" / name).read_text(encoding="utf-8"))
    assert _folded(ruling_metadata(text)) == _folded(_truth(DATA / "dev_eval_rulings.json")[name])
