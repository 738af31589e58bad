"""What import validation reports: one problem per offending element, all of them raised together."""

from dataclasses import dataclass

from lxml import etree


@dataclass(frozen=True)
class ModelProblem:
    """Why an element of an uploaded model cannot run; `message` is translated and safe to show."""

    element_id: str
    element_name: str
    message: str

    def __str__(self) -> str:
        label = self.element_name or self.element_id
        if self.element_name and self.element_id and self.element_name != self.element_id:
            label = f"{self.element_name} ({self.element_id})"
        return f"{label}: {self.message}" if label else self.message


class ModelInvalid(Exception):
    """The model is refused; `problems` says which elements and why."""

    def __init__(self, problems: list[ModelProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


def problem_at(element: etree._Element, message: str) -> ModelProblem:
    """A problem naming an XML element by its id and name (a nameless element by its tag)."""
    element_id = element.get("id") or ""
    name = " ".join((element.get("name") or "").split())  # modellers allow line breaks in names
    if not element_id and not name:
        name = etree.QName(element).localname
    return ModelProblem(element_id=element_id, element_name=name, message=message)
