"""A seeded generator of trilingual monitoring-style documents, for benchmarks.

The sentences are templates filled with people, places and events; names appear in the spellings,
scripts and case forms real documents use, so the analysis does realistic work.
"""

from __future__ import annotations

import random

GIVEN = [
    "Айгүл",
    "Ерлан",
    "Нұрлан",
    "Сәуле",
    "Бақыт",
    "Дина",
    "Марат",
    "Гүлнар",
    "Асқар",
    "Жанар",
    "Серік",
    "Әсем",
    "Ержан",
    "Қуаныш",
    "Ләззат",
    "Арман",
    "Мадина",
    "Төлеген",
    "Ұлан",
    "Іңкәр",
]
SURNAMES = [
    "Сейітов",
    "Әбдірахманов",
    "Құдайбергенов",
    "Нұрпейісов",
    "Жақыпов",
    "Төлегенов",
    "Ғалымов",
    "Бейсенов",
    "Оразалин",
    "Шәріпов",
    "Мұқанов",
    "Ибраев",
    "Қасымов",
    "Досмағамбетов",
    "Есенов",
    "Тұрсынов",
    "Аманжолов",
    "Сәрсенбаев",
    "Байжанов",
    "Рыскелдин",
]
ROMAN = {
    "Айгүл": "Aigul",
    "Ерлан": "Yerlan",
    "Нұрлан": "Nurlan",
    "Сәуле": "Saule",
    "Бақыт": "Bakhyt",
    "Дина": "Dina",
    "Марат": "Marat",
    "Гүлнар": "Gulnar",
    "Асқар": "Askar",
    "Жанар": "Zhanar",
    "Серік": "Serik",
    "Әсем": "Assem",
    "Ержан": "Yerzhan",
    "Қуаныш": "Kuanysh",
    "Ләззат": "Lazzat",
    "Арман": "Arman",
    "Мадина": "Madina",
    "Төлеген": "Tolegen",
    "Ұлан": "Ulan",
    "Іңкәр": "Inkar",
}
SURNAME_ROMAN = [
    "Seitov",
    "Abdirakhmanov",
    "Kudaibergenov",
    "Nurpeisov",
    "Zhakypov",
    "Tolegenov",
    "Galymov",
    "Beisenov",
    "Orazalin",
    "Sharipov",
    "Mukanov",
    "Ibrayev",
    "Kassymov",
    "Dosmagambetov",
    "Yessenov",
    "Tursynov",
    "Amanzholov",
    "Sarsenbayev",
    "Baizhanov",
    "Ryskeldin",
]
CITIES = [
    ("Almaty", "Алматы", "Алматыда"),
    ("Astana", "Астане", "Астанада"),
    ("Shymkent", "Шымкенте", "Шымкентте"),
    ("Aktobe", "Актобе", "Ақтөбеде"),
    ("Oral", "Уральске", "Оралда"),
    ("Atyrau", "Атырау", "Атырауда"),
    ("Karaganda", "Караганде", "Қарағандыда"),
    ("Semey", "Семее", "Семейде"),
]

EN = [
    "On {day} March police in {city} detained {name} after a peaceful rally near the akimat.",
    "A court in {city} fined {name} for taking part in an unsanctioned assembly.",
    "Human rights defenders said the case against {name} was politically motivated.",
    "{name} was placed under administrative arrest for {days} days.",
    "The lawyer of {name} filed an appeal, arguing that the trial violated fair trial guarantees.",
    "Journalists covering the protest in {city} reported pressure from the authorities.",
    "The monitoring group recorded {days} cases of harassment of activists in {city}.",
    "Investigators searched the home of {name} and seized a laptop and phones.",
]
RU = [
    "{day} марта в {city} полиция задержала {name_gen} после мирного митинга у здания акимата.",
    "Суд оштрафовал {name_acc} за участие в несанкционированном собрании.",
    "Правозащитники заявили, что дело против {name_gen} носит политический характер.",
    "{name} подвергнут административному аресту сроком на {days} суток.",
    "Адвокат {name_gen} подал апелляционную жалобу, указав на нарушение права на справедливый суд.",
    "Журналисты, освещавшие акцию протеста в {city}, сообщили о давлении со стороны властей.",
    "Мониторинговая группа зафиксировала {days} случаев преследования активистов.",
    "Следователи провели обыск в квартире {name_gen} и изъяли ноутбук и телефоны.",
]
KK = [
    "{day} наурызда {city} полиция бейбіт митингтен кейін {name_acc} ұстады.",
    "Сот {name_acc} рұқсат етілмеген жиынға қатысқаны үшін айыппұл салды.",
    "Құқық қорғаушылар {name_gen} ісі саяси астарлы екенін мәлімдеді.",
    "{name} {days} тәулікке әкімшілік қамаққа алынды.",
    "{name_gen} адвокаты сот талқылауы әділ сот қағидаттарын бұзды деп шағым түсірді.",
    "{city} наразылық акциясын жазған журналистер билік тарапынан қысым көргенін айтты.",
    "Мониторинг тобы белсенділерді қудалаудың {days} жағдайын тіркеді.",
    "Тергеушілер {name_gen} үйінде тінту жүргізіп, ноутбук пен телефондарды алып кетті.",
]


def _person(rng: random.Random) -> tuple[int, int]:
    return rng.randrange(len(GIVEN)), rng.randrange(len(SURNAMES))


def _sentence(rng: random.Random, language: str, person: tuple[int, int]) -> str:
    given, surname = GIVEN[person[0]], SURNAMES[person[1]]
    city = rng.choice(CITIES)
    values = {"day": rng.randint(1, 28), "days": rng.randint(3, 30)}
    if language == "en":
        name = f"{ROMAN[given]} {SURNAME_ROMAN[person[1]]}"
        return rng.choice(EN).format(name=name, city=city[0], **values)
    if language == "ru":
        return rng.choice(RU).format(
            name=f"{given} {surname}", name_gen=f"{surname}а", name_acc=f"{surname}а", city=city[1], **values
        )
    return rng.choice(KK).format(
        name=f"{given} {surname}", name_gen=f"{surname}тың", name_acc=f"{surname}ты", city=city[2], **values
    )


def documents(count: int, seed: int = 7, min_bytes: int = 2000, max_bytes: int = 5000):
    """Yields (language, text) pairs of 2–5 KB, a third in each language."""
    rng = random.Random(seed)
    for number in range(count):
        language = ("en", "ru", "kk")[number % 3]
        person = _person(rng)
        target = rng.randint(min_bytes, max_bytes)
        sentences: list[str] = []
        size = 0
        while size < target:
            if len(sentences) % 6 == 5:
                sentences.append("\n\n")
            sentence = _sentence(rng, language, person if rng.random() < 0.6 else _person(rng))
            sentences.append(sentence)
            size += len(sentence.encode("utf-8")) + 1
        yield language, " ".join(sentences).replace(" \n\n ", "\n\n")


def queries() -> list[str]:
    """A mix of what researchers type: names in both scripts, inflected forms, topics, phrases."""
    names = [f"{ROMAN[g]} {s}" for g, s in zip(GIVEN[:8], SURNAME_ROMAN[:8], strict=True)]
    names += [f"{g} {s}" for g, s in zip(GIVEN[8:16], SURNAMES[8:16], strict=True)]
    inflected = [f"{s}тың" for s in SURNAMES[:6]] + [f"{s}у" for s in SURNAMES[6:12]]
    topics = [
        "administrative arrest",
        "несанкционированный митинг",
        "айыппұл",
        "hunger strike",
        '"peaceful rally"',
        "обыск",
        "appeal -Almaty",
        "Shymkent OR Шымкент",
    ]
    return names + inflected + topics


def batch_names(count: int = 500) -> list[str]:
    """Names as a researcher's list holds them: every person of the corpus, in Latin letters and in
    Cyrillic by turns, then people it never names (whose rows are empty), up to `count`."""
    people = [(g, s) for g in range(len(GIVEN)) for s in range(len(SURNAMES))]
    names = [f"{ROMAN[GIVEN[g]]} {SURNAME_ROMAN[s]}" if n % 2 else f"{GIVEN[g]} {SURNAMES[s]}"
             for n, (g, s) in enumerate(people)]
    names += [f"{ROMAN[GIVEN[n % len(GIVEN)]]} Absentov{n}" for n in range(max(count - len(names), 0))]
    return names[:count]


LONG_NAME = {  # the one mention of a person in a long report, in the report's language and case
    "en": "The court in Almaty also heard the complaint of Zhanbolat Mamay about his detention.",
    "ru": "Суд в Алматы также рассмотрел жалобу Жанболата Мамая на его задержание.",
    "kk": "Алматыдағы сот Жанболат Мамайдың ұсталуы туралы шағымын да қарады.",
}


def long_report(language: str, size: int, seed: int = 11, name_at: float = 0.7) -> str:
    """A report of about `size` characters: paragraphs of monitoring prose, mostly in `language`
    with a paragraph in one of the others now and then, that names Zhanbolat Mamay exactly once, at
    `name_at` of its length."""
    rng = random.Random(f"{seed}-{language}-{size}")
    others = [other for other in ("en", "ru", "kk") if other != language]
    paragraphs: list[str] = []
    length = 0
    placed = False
    while length < size:
        if not placed and length >= name_at * size:
            paragraphs.append(LONG_NAME[language])
            placed = True
        tongue = language if rng.random() < 0.85 else rng.choice(others)
        person = _person(rng)
        sentences = [_sentence(rng, tongue, person if rng.random() < 0.6 else _person(rng))
                     for _ in range(rng.randint(3, 8))]
        paragraphs.append(" ".join(sentences))
        length += len(paragraphs[-1]) + 2
    if not placed:
        paragraphs.append(LONG_NAME[language])
    return "\n\n".join(paragraphs)
