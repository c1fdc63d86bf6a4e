#include "linediff.h"

#include <vector>

namespace Vigie {

namespace {

enum class Op { Keep, Remove, Add };

struct Edit
{
    Op op;
    qsizetype before; // line index in `before` (Keep, Remove)
    qsizetype after;  // line index in `after` (Keep, Add)
};

QStringList splitLines(const QString &text)
{
    QStringList lines = text.split(u'\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast(); // a final newline ends the last line, it does not start another
    return lines;
}

// The edit script of a[lo..ha) -> b[lo..hb) by longest common subsequence.
void lcsEdits(const QStringList &a, const QStringList &b, qsizetype lo, qsizetype ha, qsizetype hb,
              qsizetype maxCells, std::vector<Edit> *edits)
{
    const qsizetype n = ha - lo;
    const qsizetype m = hb - lo;
    if (n == 0 || m == 0 || n * m > maxCells) {
        for (qsizetype i = 0; i < n; ++i)
            edits->push_back({Op::Remove, lo + i, lo});
        for (qsizetype j = 0; j < m; ++j)
            edits->push_back({Op::Add, lo + n, lo + j});
        return;
    }
    // lengths[i][j]: LCS length of a[lo+i..] and b[lo+j..].
    std::vector<int> lengths(size_t((n + 1) * (m + 1)), 0);
    const auto at = [m](qsizetype i, qsizetype j) { return size_t(i * (m + 1) + j); };
    for (qsizetype i = n - 1; i >= 0; --i) {
        for (qsizetype j = m - 1; j >= 0; --j) {
            lengths[at(i, j)] = a.at(lo + i) == b.at(lo + j) ? lengths[at(i + 1, j + 1)] + 1
                                                             : std::max(lengths[at(i + 1, j)], lengths[at(i, j + 1)]);
        }
    }
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a.at(lo + i) == b.at(lo + j)) {
            edits->push_back({Op::Keep, lo + i, lo + j});
            ++i;
            ++j;
        } else if (i < n && (j == m || lengths[at(i + 1, j)] >= lengths[at(i, j + 1)])) {
            // Removals before additions, as diff -u shows a replaced line.
            edits->push_back({Op::Remove, lo + i, lo + j});
            ++i;
        } else {
            edits->push_back({Op::Add, lo + i, lo + j});
            ++j;
        }
    }
}

} // namespace

LineDiff diffLines(const QString &before, const QString &after, int context, qsizetype maxCells)
{
    const QStringList a = splitLines(before);
    const QStringList b = splitLines(after);
    qsizetype prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a.at(prefix) == b.at(prefix))
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
           && a.at(a.size() - 1 - suffix) == b.at(b.size() - 1 - suffix))
        ++suffix;

    // The edit script over the whole texts; only lcsEdits' middle part costs more than a copy.
    std::vector<Edit> edits;
    edits.reserve(size_t(std::max(a.size(), b.size())));
    for (qsizetype i = 0; i < prefix; ++i)
        edits.push_back({Op::Keep, i, i});
    const qsizetype shift = b.size() - a.size();
    // Both middles start at `prefix`: the common prefix has the same length on both sides.
    lcsEdits(a, b, prefix, a.size() - suffix, b.size() - suffix, maxCells, &edits);
    for (qsizetype i = a.size() - suffix; i < a.size(); ++i)
        edits.push_back({Op::Keep, i, i + shift});

    LineDiff diff;
    const qsizetype count = qsizetype(edits.size());
    qsizetype k = 0;
    while (k < count) {
        if (edits[size_t(k)].op == Op::Keep) {
            ++k;
            continue;
        }
        // A hunk: from `context` lines before this change to `context` lines after the last change
        // that lies within 2 * context of the previous one.
        const qsizetype start = std::max<qsizetype>(0, k - context);
        qsizetype end = k;
        qsizetype lastChange = k;
        while (end < count) {
            if (edits[size_t(end)].op != Op::Keep)
                lastChange = end;
            else if (end - lastChange > 2 * context)
                break;
            ++end;
        }
        end = std::min(count, lastChange + context + 1);

        QStringList lines;
        qsizetype beforeCount = 0;
        qsizetype afterCount = 0;
        for (qsizetype e = start; e < end; ++e) {
            const Edit &edit = edits[size_t(e)];
            switch (edit.op) {
            case Op::Keep:
                lines.append(u' ' + a.at(edit.before));
                ++beforeCount;
                ++afterCount;
                break;
            case Op::Remove:
                lines.append(u'-' + a.at(edit.before));
                ++beforeCount;
                ++diff.removed;
                break;
            case Op::Add:
                lines.append(u'+' + b.at(edit.after));
                ++afterCount;
                ++diff.added;
                break;
            }
        }
        const Edit &first = edits[size_t(start)];
        // Unified format numbers lines from 1, and a side with no line names the line before.
        const qsizetype beforeStart = beforeCount ? first.before + 1 : first.before;
        const qsizetype afterStart = afterCount ? first.after + 1 : first.after;
        diff.unified += QStringLiteral("@@ -%1,%2 +%3,%4 @@\n").arg(beforeStart).arg(beforeCount).arg(afterStart).arg(afterCount);
        diff.unified += lines.join(u'\n') + u'\n';
        k = end;
    }
    return diff;
}

} // namespace Vigie
