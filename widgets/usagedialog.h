#pragma once

#include "metrics/usagereport.h"

#include <QDialog>

class QComboBox;
class QDateEdit;
class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace Vigie {

class MetricsHistory;
class TenantScope;

// View › Usage…: pay per use. Per tenant (only the scoped one in a tenant scope) and period
// (this month by default, the previous one, or chosen days) what its VMs were allocated and used
// and what it costs at the saved prices; a tenant row opens onto its VMs. The report is built on
// the history's thread (a busy bar meanwhile); exported as CSV or as a PDF statement.
class UsageDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Period {
        CurrentMonth,
        PreviousMonth,
        Custom,
    };

    UsageDialog(MetricsHistory *history, const TenantScope *scope, QWidget *parent = nullptr);

    void setPeriod(Period period, QDate from = {}, QDate to = {});
    // Asks the history for the report of the period now.
    void refresh();
    [[nodiscard]] bool isBusy() const { return m_request != 0; }
    [[nodiscard]] const UsageReport &report() const { return m_report; }
    [[nodiscard]] QTreeWidget *table() const { return m_table; }
    bool exportCsv(const QString &path, QString *error = nullptr) const;
    bool exportPdf(const QString &path, QString *error = nullptr) const;

Q_SIGNALS:
    void reportShown(const Vigie::UsageReport &report);

private:
    void showReport(const UsageReport &report);
    void editPrices();
    void exportInteractively(bool pdf);
    [[nodiscard]] QString scopeTenant() const;

    MetricsHistory *m_history;
    const TenantScope *m_scope;
    QComboBox *m_period;
    QDateEdit *m_from;
    QDateEdit *m_to;
    QProgressBar *m_busy;
    QLabel *m_status;
    QTreeWidget *m_table;
    QPushButton *m_csv;
    QPushButton *m_pdf;
    UsagePrices m_prices;
    UsageReport m_report;
    quint64 m_request = 0;
};

} // namespace Vigie
