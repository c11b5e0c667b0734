"""Every published romanisation of Russian and Kazakh meets the Cyrillic name (tables: tests/romanisation.py).

A Latin spelling meets a Cyrillic one when they share a name key, or when one of the Latin word's
other readings (`reading_keys`: ц as c, й as j, ...) gives the Cyrillic key; the index stores and
the planner asks both, so this holds for documents and queries alike, in every case form.
"""

from __future__ import annotations

import pytest

from archive.analysis import name_key, reading_keys
from tests.romanisation import KAZAKH, RUSSIAN, romanise


def _words(text: str) -> list[str]:
    return text.split()


# Names of people in Kazakhstan and Russia rich in the letters the systems disagree on
RUSSIAN_NAMES = _words(
    "Кузнецов Щербаков Цветков Хасанов Михаил Юрий Майоров Фёдоров Семёнов Ежов Зайцев Яковлев Эльвира "
    "Шевчук Чернышёв Воробьёв Соловьёв Ильин Валерий Дмитрий Андрей Евгений Ксения Юлия Наталья Татьяна "
    "Алексей Елена Ёлкин Огурцов Лещенко Хрущёв Царёв Вячеслав Ефимов Цой Щукин Журавлёв"
)
RUSSIAN_FORMS = ("Кузнецова", "Кузнецову", "Кузнецовым", "Щербаковым", "Юрию", "Юрием", "Михаилу",
                 "Натальей", "Соловьёва", "Семёнову", "Царёвым", "Ксении")
KAZAKH_NAMES = _words(
    "Нұрсұлтан Тоқаев Әбілқайыр Жәнібек Серікбол Айгүл Бауыржан Мұхтар Ғалым Құнанбаев Өтеген Шәкәрім "
    "Ержан Дінмұхамед Сәуле Әйгерім Үміт Қайрат Ерлан Оразбек Шыңғыс Ілияс Жансая Бейбіт Ақжол Дәурен "
    "Айнұр Қуаныш Тоқаевтың Жәнібекке Айгүлдің Ерланға Мұхтардан Қайратпен"
)


def _keys(word: str) -> set[str]:
    return {name_key(word), *reading_keys(word)}


def meets(latin: str, cyrillic: str) -> bool:
    return bool(_keys(latin) & _keys(cyrillic))


@pytest.mark.parametrize("system", sorted(RUSSIAN))
def test_russian_names_in_every_system(system):
    table = RUSSIAN[system]
    missed = [
        (word, romanise(word, table, initial_ye=system == "bgn_pcgn"))
        for word in (*RUSSIAN_NAMES, *RUSSIAN_FORMS)
        if not meets(romanise(word, table, initial_ye=system == "bgn_pcgn"), word)
    ]
    assert not missed


@pytest.mark.parametrize("system", sorted(KAZAKH))
def test_kazakh_names_in_every_system(system):
    missed = [(word, romanise(word, KAZAKH[system])) for word in KAZAKH_NAMES
              if not meets(romanise(word, KAZAKH[system]), word)]
    assert not missed


def test_other_readings_do_not_join_unrelated_names():
    assert meets("Kuznecov", "Кузнецов")
    assert not meets("Jurij", "Жураев")
    assert not _keys("Mamay") & _keys("Мамаев")
