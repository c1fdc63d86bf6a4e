#pragma once

#include <QDialog>
#include <QTimer>

class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace Vigie {

class EventLogModel;
class MetricsHistory;

// The stored event log, the console's audit trail: search by text (host, connection URI, VM,
// action, result, user) and time range, results newest last, export as CSV. The search runs on
// the history's thread; its answer comes back by a queued signal.
class EventSearchDialog : public QDialog
{
    Q_OBJECT

public:
    static constexpr int Limit = 10000;

    explicit EventSearchDialog(MetricsHistory *history, QWidget *parent = nullptr);

    void setText(const QString &text);
    void setRange(const QDateTime &from, const QDateTime &to);
    // Asks the history now (typing asks after a short pause).
    void search();
    [[nodiscard]] EventLogModel *model() const { return m_model; }
    [[nodiscard]] bool isSearching() const { return m_request != 0; }
    bool exportCsv(const QString &path, QString *error = nullptr) const;

Q_SIGNALS:
    void resultsShown(int count);

private:
    void exportInteractively();

    MetricsHistory *m_history;
    QLineEdit *m_text;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QTableView *m_view;
    EventLogModel *m_model;
    QLabel *m_status;
    QPushButton *m_export;
    quint64 m_request = 0;
    QTimer m_debounce;
};

} // namespace Vigie
