#pragma once

#include <QColor>
#include <QList>
#include <QWidget>

namespace Vigie {

// The key of the topology coloured by tenant: a swatch and a name per tenant shown, and what an
// isolated group's outline looks like. Floats in a corner of the view; names are painted as
// plain text, a long list ends with "+N more".
class TopologyLegend : public QWidget
{
    Q_OBJECT

public:
    explicit TopologyLegend(QWidget *parent = nullptr);

    void setEntries(const QList<std::pair<QString, QColor>> &entries);
    [[nodiscard]] const QList<std::pair<QString, QColor>> &entries() const { return m_entries; }
    // The lines as painted, for tests.
    [[nodiscard]] QStringList lines() const;

    [[nodiscard]] QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    static constexpr int MaxShown = 14;
    QList<std::pair<QString, QColor>> m_entries;
};

} // namespace Vigie
