#pragma once

#include "alarms/alarmrule.h"

#include <QDialog>

class QCheckBox;
class QTableWidget;

namespace Vigie {

// Edits the alarm rules: each one on or off, its threshold, the level at which it clears
// (hysteresis), how long the figure must stay beyond it, and its severity; and whether new
// critical alarms make a desktop notification.
class AlarmRulesDialog : public QDialog
{
    Q_OBJECT

public:
    AlarmRulesDialog(const QList<AlarmRule> &rules, bool notify, QWidget *parent = nullptr);

    [[nodiscard]] QList<AlarmRule> rules() const;
    [[nodiscard]] bool notify() const;
    [[nodiscard]] QTableWidget *table() const { return m_table; }

private:
    void fill(const QList<AlarmRule> &rules);

    QList<AlarmRule> m_rules; // as given: ids, kinds and figures; the table holds the rest
    QTableWidget *m_table;
    QCheckBox *m_notify;
};

} // namespace Vigie
