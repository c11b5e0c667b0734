"""Every published romanisation of Russian and Kazakh meets the Cyrillic name (tables: tests/romanisation.py).

A Latin spelling meets a Cyrillic one when they share a name key, or when one of the Latin word's
other readings (`reading_keys`: ц as c, й as j, ...) gives the Cyrillic key; the index stores and
the planner asks both, so this holds for documents and queries alike, in every case form.
"""

from __future__ import annotations

import pytest

from archive.analysis import name_key, reading_keys
from tests.romanisation import KAZAKH, RUSSIAN


def _words(text: str) -> list[str]:
    return text.split()


# Names of people in Kazakhstan and Russia rich in the letters the systems disagree on
RUSSIAN_NAMES = _words(
    "Кузнецов Щербаков Цветков Хасанов Михаил Юрий Майоров Фёдоров Семёнов Ежов Зайцев Яковлев Эльвира "
    "Шевчук Чернышёв Воробьёв Соловьёв Ильин Валерий Дмитрий Андрей Евгений Ксения Юлия Наталья Татьяна "
    "Алексей Елена Ёлкин Огурцов Лещенко Хрущёв Царёв Вячеслав Ефимов Цой Щукин Журавлёв Толстой Яицкий "
    "Подъячев Пьянков Лукьянов Кирьянов Васильев Чайковский Достоевский Эйзенштейн Аксёнов Щедрин"
)
RUSSIAN_FORMS = ("Кузнецова", "Кузнецову", "Кузнецовым", "Щербаковым", "Юрию", "Юрием", "Михаилу",
                 "Натальей", "Соловьёва", "Семёнову", "Царёвым", "Ксении", "Толстого", "Васильевой",
                 "Чайковским", "Юрьевичу", "Аксёновым")
# Names of people and villages in Kazakhstan as Russian spells and declines them: ends that read as
# Kazakh endings in Latin (-din, -ga, -vke), й before х, -ой in the French passport table
KAZAKHSTAN_RUSSIAN_FORMS = _words(
    "Аллабердин Аллабердина Аллабердину Аллабердиным Аллабердине Бернага Бернаги Бернаге Бернагу "
    "Бернагой Гульнаре Гульнарой Айгуль Айгули Айгулью Нурсултану Токаевым Жанболатом Кайрату "
    "Сейткуловой Тулегеновой Сулейменовой Шайхутдинову Дюсенбаеву Куанышем Бауыржану Кудайбергенову "
    "Жумагулову Бекмухамбетову Еркебулану Зауреш Жулдызе Толкыне Николаевке Николаевкой Михайловке "
    "Андреевке Вишнёвке"
)
KAZAKH_NAMES = _words(
    "Нұрсұлтан Тоқаев Әбілқайыр Жәнібек Серікбол Айгүл Бауыржан Мұхтар Ғалым Құнанбаев Өтеген Шәкәрім "
    "Ержан Дінмұхамед Сәуле Әйгерім Үміт Қайрат Ерлан Оразбек Шыңғыс Ілияс Жансая Бейбіт Ақжол Дәурен "
    "Айнұр Қуаныш Жаңболат Мамай Ысқақ Ыбырай Гүлнар Нұргүл Әсемгүл Түсіпбек Бүркіт Жүсіп Дүйсенбай Күлпаш "
    "Ләззат Күнсұлу Көкшетау"
)
KAZAKH_FORMS = _words(
    "Тоқаевтың Жәнібекке Айгүлдің Ерланға Мұхтардан Қайратпен Ілиясқа Әйгерімнің Шыңғыстың Нұрсұлтанға "
    "Серікболдың Бейбітке Құнанбаевтың Ғалымға Өтегенмен Үмітке Бауыржанның Жансаяның "
    # passport, press and chat Latin write ү ұ both as u and і as i: Aigulge, Aiguldi, Tusipbekti
    "Айгүлге Айгүлді Айгүлден Нұргүлде Әсемгүлмен Гүлнарға Түсіпбекті Бүркіттің Жүсіптің Дүйсенбайда "
    "Күлпашқа Күлпаштан Ләззатқа Күнсұлудың Көкшетаудың Ақтөбені"
)

# Latin nominatives whose end reads as an informal Kazakh ending (ң ғ қ written n g k) but is part of
# the name: each keeps the key of its Cyrillic spelling.
LATIN_NOMINATIVES = {
    "Kalinin": "Калинин", "Borodin": "Бородин", "Baldin": "Балдин", "Kristin": "Кристин", "Volga": "Волга",
    "Olga": "Ольга", "Praga": "Прага", "Malaga": "Малага", "Kamchatka": "Камчатка", "Ivanovka": "Ивановка",
    "Nikolaevka": "Николаевка", "Martyn": "Мартын", "Valentin": "Валентин", "Putin": "Путин",
    "Karenin": "Каренин", "Vershinin": "Вершинин", "Borozdin": "Бороздин", "Kafka": "Кафка",
}


def _keys(word: str) -> set[str]:
    return {name_key(word), *reading_keys(word)}


def meets(latin: str, cyrillic: str) -> bool:
    return bool(_keys(latin) & _keys(cyrillic))


@pytest.mark.parametrize("system", sorted(RUSSIAN))
def test_russian_names_in_every_system(system):
    write = RUSSIAN[system]
    words = (*RUSSIAN_NAMES, *RUSSIAN_FORMS, *KAZAKHSTAN_RUSSIAN_FORMS)
    missed = [(word, write(word)) for word in words if not meets(write(word), word)]
    assert not missed


@pytest.mark.parametrize("system", sorted(KAZAKH))
def test_kazakh_names_in_every_system(system):
    write = KAZAKH[system]
    words = (*KAZAKH_NAMES, *KAZAKH_FORMS)
    missed = [(word, write(word)) for word in words if not meets(write(word), word)]
    assert not missed


def test_other_readings_do_not_join_unrelated_names():
    assert meets("Kuznecov", "Кузнецов")
    assert not meets("Jurij", "Жураев")
    assert not _keys("Mamay") & _keys("Мамаев")


@pytest.mark.parametrize(("latin", "cyrillic"), sorted(LATIN_NOMINATIVES.items()))
def test_a_latin_nominative_keeps_an_ending_that_is_part_of_the_name(latin, cyrillic):
    assert name_key(latin) == name_key(cyrillic)


def test_informal_kazakh_endings_only_in_latin_words():
    assert name_key("Tokaevtyn") == name_key("Тоқаев")
    assert name_key("Калинин") != name_key("Кали")
