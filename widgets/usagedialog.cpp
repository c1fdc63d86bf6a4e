#include "usagedialog.h"

#include "inventory/tenantscope.h"
#include "metrics/metricshistory.h"
#include "metrics/usagecsv.h"
#include "usagepricesdialog.h"
#include "usagereportdocument.h"

#include <QApplication>
#include <QComboBox>
#include <QRegularExpression>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Vigie {

namespace {

enum Column {
    NameColumn,
    VmsColumn,
    VcpuColumn,
    MemoryColumn,
    DiskColumn,
    CpuUsedColumn,
    NetInColumn,
    NetOutColumn,
    CostColumn,
    ColumnCount,
};

} // namespace

UsageDialog::UsageDialog(MetricsHistory *history, const TenantScope *scope, QWidget *parent)
    : QDialog(parent)
    , m_history(history)
    , m_scope(scope)
    , m_period(new QComboBox(this))
    , m_from(new QDateEdit(this))
    , m_to(new QDateEdit(this))
    , m_busy(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_table(new QTreeWidget(this))
    , m_csv(new QPushButton(tr("Export &CSV…"), this))
    , m_pdf(new QPushButton(tr("Export &PDF…"), this))
{
    setWindowTitle(tr("Usage"));
    resize(1040, 560);
    {
        QSettings settings;
        m_prices = UsagePrices::load(settings);
    }
    m_period->addItem(tr("This month"), int(Period::CurrentMonth));
    m_period->addItem(tr("Previous month"), int(Period::PreviousMonth));
    m_period->addItem(tr("Custom range"), int(Period::Custom));
    for (QDateEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QLocale().dateFormat(QLocale::ShortFormat));
    }
    m_busy->setRange(0, 0); // busy: the history's thread gives no steps
    m_busy->setMaximumWidth(160);
    m_busy->setVisible(false);
    m_status->setTextFormat(Qt::PlainText);
    auto *refresh = new QPushButton(tr("&Refresh"), this);
    auto *prices = new QPushButton(tr("P&rices…"), this);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("&Period:"), this));
    static_cast<QLabel *>(top->itemAt(0)->widget())->setBuddy(m_period);
    top->addWidget(m_period);
    top->addWidget(m_from);
    top->addWidget(new QLabel(QStringLiteral("–"), this));
    top->addWidget(m_to);
    top->addWidget(refresh);
    top->addStretch();
    top->addWidget(m_busy);
    top->addWidget(prices);

    m_table->setColumnCount(ColumnCount);
    m_table->setHeaderLabels({tr("Tenant / VM"), tr("VMs"), tr("vCPU-h"), tr("Memory GiB-h"), tr("Disk GiB-h"),
                              tr("CPU-h used"), tr("Net in GB"), tr("Net out GB"), tr("Amount")});
    m_table->setUniformRowHeights(true);
    m_table->setAlternatingRowColors(true);
    m_table->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    m_table->header()->setStretchLastSection(false);
    for (int c = VmsColumn; c < ColumnCount; ++c) {
        m_table->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
        m_table->headerItem()->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_csv, QDialogButtonBox::ActionRole);
    buttons->addButton(m_pdf, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_period, &QComboBox::activated, this, [this] { setPeriod(Period(m_period->currentData().toInt())); });
    connect(refresh, &QPushButton::clicked, this, &UsageDialog::refresh);
    connect(prices, &QPushButton::clicked, this, &UsageDialog::editPrices);
    connect(m_csv, &QPushButton::clicked, this, [this] { exportInteractively(false); });
    connect(m_pdf, &QPushButton::clicked, this, [this] { exportInteractively(true); });
    connect(m_history, &MetricsHistory::usageReady, this, [this](quint64 id, const UsageReport &report) {
        if (id != m_request)
            return; // an older period's answer
        m_request = 0;
        showReport(report);
    });
    if (m_scope)
        connect(m_scope, &TenantScope::tenantChanged, this, &UsageDialog::refresh);
    setPeriod(Period::CurrentMonth);
}

QString UsageDialog::scopeTenant() const
{
    return m_scope && m_scope->isScoped() ? m_scope->tenant() : QString();
}

void UsageDialog::setPeriod(Period period, QDate from, QDate to)
{
    m_period->setCurrentIndex(m_period->findData(int(period)));
    const QDate today = QDate::currentDate();
    std::pair<QDate, QDate> range{from, to};
    if (period == Period::CurrentMonth)
        range = usageCurrentMonth(today);
    else if (period == Period::PreviousMonth)
        range = usagePreviousMonth(today);
    if (range.first.isValid())
        m_from->setDate(range.first);
    if (range.second.isValid())
        m_to->setDate(range.second);
    m_from->setEnabled(period == Period::Custom);
    m_to->setEnabled(period == Period::Custom);
    refresh();
}

void UsageDialog::refresh()
{
    UsageRequest request = UsageReport::requestFor(m_from->date(), std::max(m_from->date(), m_to->date()));
    request.prices = m_prices;
    if (const QString tenant = scopeTenant(); !tenant.isEmpty())
        request.tenant = tenant;
    m_request = m_history->requestUsage(request);
    m_busy->setVisible(true);
    m_csv->setEnabled(false);
    m_pdf->setEnabled(false);
    m_status->setText(tr("Computing the usage from the history…"));
}

void UsageDialog::showReport(const UsageReport &report)
{
    m_report = report;
    m_busy->setVisible(false);
    m_csv->setEnabled(true);
    m_pdf->setEnabled(true);
    const QLocale locale;
    const auto fill = [&](QTreeWidgetItem *item, const QString &name, int vms, const UsageQuantities &q, qint64 cents) {
        item->setText(NameColumn, name);
        item->setText(VmsColumn, vms > 0 ? locale.toString(vms) : QString());
        item->setText(VcpuColumn, locale.toString(q.vcpuHours(), 'f', 2));
        item->setText(MemoryColumn, locale.toString(q.memoryGiBHours(), 'f', 2));
        item->setText(DiskColumn, locale.toString(q.diskGiBHours(), 'f', 2));
        item->setText(CpuUsedColumn, locale.toString(q.cpuUsedHours(), 'f', 2));
        item->setText(NetInColumn, locale.toString(q.netRxGB(), 'f', 2));
        item->setText(NetOutColumn, locale.toString(q.netTxGB(), 'f', 2));
        item->setText(CostColumn, formatUsageMoney(cents, report.prices.currency, locale));
        for (int c = VmsColumn; c < ColumnCount; ++c)
            item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    };
    m_table->clear();
    for (const UsageTenant &tenant : report.tenants) {
        auto *row = new QTreeWidgetItem(m_table);
        fill(row, tenant.name.isEmpty() ? tr("(no tenant)") : tenant.name, int(tenant.vms.size()), tenant.quantities,
             tenant.cost.totalCents());
        QFont bold = row->font(NameColumn);
        bold.setBold(true);
        row->setFont(NameColumn, bold);
        for (const UsageVmLine &line : tenant.vms) {
            auto *vm = new QTreeWidgetItem(row);
            fill(vm, line.name, 0, line.quantities, line.cost.totalCents());
            vm->setToolTip(NameColumn, line.uuid);
        }
    }
    if (report.tenants.size() == 1)
        m_table->expandAll();
    if (report.tenants.size() > 1) {
        auto *total = new QTreeWidgetItem(m_table);
        fill(total, tr("Total"), report.vmCount, report.quantities, report.cost.totalCents());
        QFont bold = total->font(NameColumn);
        bold.setBold(true);
        for (int c = 0; c < ColumnCount; ++c)
            total->setFont(c, bold);
    }
    const QString scope = scopeTenant();
    m_status->setText(report.tenants.isEmpty()
                          ? tr("No usage recorded in this period.")
                          : tr("%n VM(s), %1 in all; computed in %2 ms on the history's thread. vCPUs and memory count "
                               "while a VM runs, disks while it exists.",
                               nullptr, report.vmCount)
                                .arg(formatUsageMoney(report.cost.totalCents(), report.prices.currency, locale))
                                .arg(locale.toString(double(report.elapsedUs) / 1000.0, 'f', 1)));
    setWindowTitle(scope.isEmpty() ? tr("Usage") : tr("Usage — %1").arg(scope));
    Q_EMIT reportShown(report);
}

void UsageDialog::editPrices()
{
    UsagePricesDialog dialog(m_prices, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_prices = dialog.prices();
    QSettings settings;
    m_prices.save(settings);
    refresh();
}

bool UsageDialog::exportCsv(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(UsageCsv::toCsv(m_report)) < 0
        || !file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool UsageDialog::exportPdf(const QString &path, QString *error) const
{
    return UsageReportDocument(m_report, scopeTenant()).writePdf(path, error);
}

void UsageDialog::exportInteractively(bool pdf)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString from = QDateTime::fromMSecsSinceEpoch(m_report.fromMs).toString(QStringLiteral("yyyyMMdd"));
    const QString to = QDateTime::fromMSecsSinceEpoch(m_report.toMs - 1).toString(QStringLiteral("yyyyMMdd"));
    QString base = QStringLiteral("vigie-usage-%1-%2").arg(from, to);
    if (const QString tenant = scopeTenant(); !tenant.isEmpty()) {
        QString safe = tenant;
        safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
        base += u'-' + safe;
    }
    const QString title = pdf ? tr("Export the usage report") : tr("Export the usage as CSV");
    const QString path = QFileDialog::getSaveFileName(this, title, dir + u'/' + base + (pdf ? QStringLiteral(".pdf") : QStringLiteral(".csv")),
                                                      pdf ? tr("PDF files (*.pdf)") : tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool ok = pdf ? exportPdf(path, &error) : exportCsv(path, &error);
    QApplication::restoreOverrideCursor();
    if (!ok)
        QMessageBox::warning(this, title, error);
}

} // namespace Vigie
