#pragma once

#include <QString>
#include <QStringList>

namespace Vigie {

// A line diff of two texts in unified format (the "Diff" syntax KSyntaxHighlighting colours),
// shown before an edited domain definition is applied.
struct LineDiff
{
    QString unified; // "@@ -a,b +c,d @@" hunks with `context` lines around changes; empty if equal
    int added = 0;
    int removed = 0;

    [[nodiscard]] bool isEmpty() const { return added == 0 && removed == 0; }
};

// Lines common to both ends are trimmed first, so the quadratic part only sees what changed; past
// maxCells (lines changed x lines changed) the changed block is shown as removed then added.
[[nodiscard]] LineDiff diffLines(const QString &before, const QString &after, int context = 3,
                                 qsizetype maxCells = 4'000'000);

} // namespace Vigie
