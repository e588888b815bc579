"""CSV import: a report line by line, and nothing imported unless the whole file is valid."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from training.factories import CohortFactory
from training.models import Participant

pytestmark = pytest.mark.django_db

GOOD = (
    "name,organisation,state,gender,age_range\n"
    "María López,Red de Defensoras,07,woman,30_44\n"
    "Juan Gómez,Colectivo del Río,Chiapas,man,18_29\n"
)


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def cohort(trainer):
    return CohortFactory(facilitators=[trainer], capacity=30)


def upload(client, cohort, content: bytes, name="participantes.csv"):
    return client.post(
        reverse("training:cohort-import", kwargs={"cohort_id": cohort.pk}),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_trainer_can_import_a_valid_file(login, trainer, cohort):
    response = upload(login(trainer), cohort, GOOD.encode())

    assert response.status_code == 302
    assert sorted(p.name for p in Participant.objects.all()) == ["Juan Gómez", "María López"]
    assert cohort.enrolments.count() == 2


def test_trainer_can_import_a_file_with_a_byte_order_mark_and_semicolons(login, trainer, cohort):
    content = "\ufeffname;organisation\nAna Díaz;Colectiva\n".encode()

    response = upload(login(trainer), cohort, content)

    assert response.status_code == 302
    assert Participant.objects.get().name == "Ana Díaz"


def test_trainer_cannot_import_a_file_with_one_bad_line(login, trainer, cohort):
    content = GOOD + "Pedro Ruiz,Org,Narnia,man,18_29\n,Org,,,\n"

    response = upload(login(trainer), cohort, content.encode())

    lines = response.context["report"].rows
    assert response.status_code == 400
    assert [(n, ok) for n, ok, _ in lines] == [(2, True), (3, True), (4, False), (5, False)]
    assert lines[2][2] == ["Unknown state “Narnia”."]
    assert lines[3][2] == ["The name is empty."]
    assert Participant.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lista.xlsx", GOOD.encode(), "Upload a .csv file."),
        ("lista.csv", b"x" * (1024 * 1024 + 1), "The file is larger than 1 MB."),
        ("lista.csv", b"", "The file is empty."),
    ],
)
def test_trainer_cannot_upload_a_file_that_is_not_a_small_csv(
    login, trainer, cohort, name, content, message
):
    response = upload(login(trainer), cohort, content, name=name)

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [message]
    assert Participant.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "name\nMaría\n".encode("latin-1"),
            "The file is not UTF-8 text. Save it as “CSV UTF-8” and retry.",
        ),
        (
            b"correo,telefono\nmaria@example.org,30\n",
            "The first line must name the columns; “name” is missing.",
        ),
        (b"name\n", "The file has no participants."),
        (b"name\x00\nA\n", "The file contains NUL characters: it is not a CSV file."),
    ],
)
def test_trainer_cannot_import_a_malformed_file(login, trainer, cohort, content, message):
    response = upload(login(trainer), cohort, content)

    assert response.status_code == 400
    assert response.context["report"].errors[0] == message
    assert Participant.objects.count() == 0


def test_trainer_cannot_import_duplicates_or_more_than_capacity(login, trainer):
    small = CohortFactory(facilitators=[trainer], capacity=1)
    client = login(trainer)

    duplicate = upload(client, small, b"name\nAna\nana\n")
    too_many = upload(client, small, b"name\nAna\nBeto\n")

    assert duplicate.context["report"].rows[1][2] == ["This name appears twice in the file."]
    assert too_many.status_code == 400
    assert Participant.objects.count() == 0


# --- Spanish columns and values -------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "nombre,organización,estado,género,rango de edad",
        "Nombre,Organizacion,ESTADO,Genero,Rango_de_Edad",
        "NAME,Organization,State,Gender,age_range",
    ],
)
def test_trainer_can_import_a_file_with_spanish_or_english_columns(login, trainer, cohort, header):
    content = f"{header}\nMaría López,Red de Defensoras,Oaxaca,Mujer,30 a 44\n"

    response = upload(login(trainer), cohort, content.encode())

    assert response.status_code == 302
    participant = Participant.objects.get()
    assert (participant.name, participant.organisation, participant.state.code) == (
        "María López",
        "Red de Defensoras",
        "20",
    )
    assert (participant.gender, participant.age_range) == ("woman", "30_44")


def test_gender_and_age_range_take_the_code_or_either_label(login, trainer, cohort):
    content = (
        "nombre;género;rango de edad\n"
        "Ana;woman;18_29\nBeto;hombre;60 O MÁS\nCeci;Non-binary;Under 18\n"
    )

    response = upload(login(trainer), cohort, content.encode())

    assert response.status_code == 302
    assert sorted((p.name, p.gender, p.age_range) for p in Participant.objects.all()) == [
        ("Ana", "woman", "18_29"),
        ("Beto", "man", "60_plus"),
        ("Ceci", "non_binary", "under_18"),
    ]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("07", "07"),
        ("7", "07"),
        ("Ciudad de México", "09"),
        ("CDMX", "09"),
        ("Mexico City", "09"),
        ("edomex", "15"),
        ("Estado de Mexico", "15"),
        ("MICHOACÁN DE OCAMPO", "16"),
        ("veracruz", "30"),
        ("Yucatan", "31"),
    ],
)
def test_the_state_is_read_however_people_write_it(login, trainer, cohort, written, code):
    content = f"nombre,estado\nAna,{written}\n"

    response = upload(login(trainer), cohort, content.encode())

    assert response.status_code == 302
    assert Participant.objects.get().state.code == code


def test_the_trainer_reads_in_spanish_what_is_wrong_on_each_line(login, trainer, cohort, settings):
    settings.LANGUAGE_CODE = "es-mx"
    content = (
        "nombre,estado,género,rango de edad\nAna,Narnia,mujer,30 a 44\nBeto,Oaxaca,robot,cien\n"
    )

    response = upload(login(trainer), cohort, content.encode())

    rows = response.context["report"].rows
    assert response.status_code == 400
    assert rows == [
        (2, False, ["Estado desconocido “Narnia”."]),
        (
            3,
            False,
            [
                "Género desconocido “robot”; escribe uno de estos: Mujer, Hombre, No binaria, "
                "Mujer trans, Hombre trans, Otra identidad, Prefiere no decirlo.",
                "Rango de edad desconocido “cien”; escribe uno de estos: Menos de 18, 18 a 29, "
                "30 a 44, 45 a 59, 60 o más.",
            ],
        ),
    ]
    assert Participant.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        (
            "organización,estado\nRed,Oaxaca\n",
            ["La primera línea debe nombrar las columnas; falta “nombre”."],
        ),
        (
            "nombre,correo\nAna,ana@example.org\n",
            [
                "Columnas desconocidas: correo. Las columnas posibles son: nombre, "
                "organización, estado, género, rango de edad."
            ],
        ),
        ("nombre,name\nAna,Ana\n", ["La columna “nombre” aparece dos veces."]),
    ],
)
def test_a_file_with_wrong_columns_is_refused_in_spanish(
    login, trainer, cohort, settings, content, messages
):
    settings.LANGUAGE_CODE = "es-mx"

    response = upload(login(trainer), cohort, content.encode())

    assert response.status_code == 400
    assert response.context["report"].errors == messages
    assert Participant.objects.count() == 0


def test_the_empty_file_to_fill_has_spanish_columns_and_a_dated_spanish_name(
    login, trainer, cohort, settings
):
    settings.LANGUAGE_CODE = "es-mx"
    url = reverse("training:cohort-import-template", kwargs={"cohort_id": cohort.pk})

    response = login(trainer).get(url)

    today = timezone.localdate().isoformat()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="plantilla-participantes-{today}.csv"'
    )
    assert response.content.decode("utf-8") == (
        "\ufeffnombre,organización,estado,género,rango de edad\r\n"
    )


def test_the_empty_file_is_read_back_as_a_valid_header(login, trainer, cohort, settings):
    settings.LANGUAGE_CODE = "es-mx"
    client = login(trainer)
    template = client.get(
        reverse("training:cohort-import-template", kwargs={"cohort_id": cohort.pk})
    ).content

    response = upload(client, cohort, template + b"Ana,Colectiva,Chiapas,,\r\n")

    assert response.status_code == 302
    assert Participant.objects.get().name == "Ana"
