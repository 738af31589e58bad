"""Greedy word wrapping by measured width: far cheaper than fpdf2's table layout for the many short term rows."""

from fpdf import FPDF


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """`text` as lines no wider than `width` in the current font; words longer than a line are cut."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if pdf.get_string_width(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while word and pdf.get_string_width(word) > width:
                cut = _fitting_prefix(pdf, word, width)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _fitting_prefix(pdf: FPDF, word: str, width: float) -> int:
    """Length of the longest prefix of `word` that fits (at least one character, so wrapping ends)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if pdf.get_string_width(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low
