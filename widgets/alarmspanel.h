#pragma once

#include "alarms/alarmrule.h"
#include "inventory/vminfo.h"
#include "onceperturn.h"

#include <optional>

#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace Vigie {

class AlarmModel;
class TenantScope;

// The Alarms dock's content: the active alarms, the most severe first, then the oldest, with
// since-when, the current value and who acknowledged them; and the history of cleared ones,
// newest first. Acknowledge acts on the selected active alarms; double-clicking one selects its
// VM in the rest of the window. Under a tenant scope, only the alarms of the tenant's VMs and of
// the hosts that hold them.
class AlarmsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit AlarmsPanel(AlarmModel *model, QWidget *parent = nullptr);

    [[nodiscard]] QTableView *activeView() const { return m_activeView; }
    [[nodiscard]] QTableView *historyView() const { return m_historyView; }
    [[nodiscard]] QPushButton *acknowledgeButton() const { return m_acknowledge; }
    // Shows the history tab (true) or the active one.
    void showHistory(bool history);
    // Only the scope's tenant's alarms (nullptr: every alarm).
    void setTenantScope(const TenantScope *scope);
    // The active alarms shown (of SEVERITY only, when given).
    [[nodiscard]] int activeCount(std::optional<AlarmSeverity> severity = std::nullopt) const;

Q_SIGNALS:
    void acknowledgeRequested(const QStringList &keys);
    void rulesRequested();
    void vmActivated(const Vigie::VmKey &key);

private:
    [[nodiscard]] QStringList selectedKeys() const;
    void updateState();

    AlarmModel *m_model;
    QSortFilterProxyModel *m_active;
    QSortFilterProxyModel *m_history;
    QTabWidget *m_tabs;
    QTableView *m_activeView;
    QTableView *m_historyView;
    QPushButton *m_acknowledge;
    QLabel *m_summary;
    // updateState() once per turn for the model's changes: thousands of alarms raised or cleared
    // in one turn (a controller at odds with the fleet), each counting every row, froze the window
    // for seconds.
    OncePerTurn m_stateSoon{this, [this] { updateState(); }};
};

} // namespace Vigie
