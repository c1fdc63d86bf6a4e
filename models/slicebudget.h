#pragma once

#include <QElapsedTimer>

#include <algorithm>

namespace Vigie {

// A slice of long work on the GUI thread (a controller read again, 10,000 chips to refresh):
// spent once BUDGET_MS have passed since it began, the clock read every EVERY items done. A
// negative budget is never spent (the work done in one go).
class SliceBudget
{
public:
    SliceBudget(qint64 budgetMs, int every)
        : m_budgetMs(budgetMs)
        , m_every(std::max(1, every))
    {
        m_clock.start();
    }

    // Counts WEIGHT more items done: whether the slice is spent.
    [[nodiscard]] bool spent(qsizetype weight = 1)
    {
        const qsizetype before = m_items;
        m_items += weight;
        return m_budgetMs >= 0 && m_items / m_every != before / m_every && m_clock.elapsed() >= m_budgetMs;
    }

private:
    QElapsedTimer m_clock;
    qint64 m_budgetMs;
    int m_every;
    qsizetype m_items = 0;
};

} // namespace Vigie
