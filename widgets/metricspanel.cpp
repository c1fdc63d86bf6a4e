#include "metricspanel.h"

#include "elidedlabel.h"
#include "metrics/historytier.h"
#include "metrics/metricshistory.h"
#include "metrics/metricsstore.h"
#include "metricschart.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

namespace Vigie {

namespace {

const char WindowKey[] = "metrics/windowSeconds";
// The list's entries that are no window of their own.
constexpr int CustomShown = -1; // the range the charts show after a zoom, a pan or a choice
constexpr int CustomAsk = -2;   // "Custom range…": asks for one

} // namespace

MetricsPanel::MetricsPanel(MetricsStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_window(new QComboBox(this))
    , m_now(new QToolButton(this))
    , m_hint(new ElidedLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    auto *bar = new QHBoxLayout;
    auto *windowLabel = new QLabel(tr("&Window:"), this);
    windowLabel->setBuddy(m_window);
    m_window->addItem(tr("Last minute"), 60);
    m_window->addItem(tr("Last 10 minutes"), 600);
    m_window->addItem(tr("Last hour"), 3600);
    m_window->addItem(tr("Last 24 hours"), 86400);
    m_window->addItem(tr("Last 7 days"), 7 * 86400);
    m_window->addItem(tr("Last 30 days"), 30 * 86400);
    m_window->addItem(tr("Last year"), 365 * 86400);
    m_window->addItem(tr("Custom range…"), CustomAsk);
    m_window->setToolTip(tr("Time shown by every chart; over an hour, the stored history's minute or hour averages, "
                            "with their maxima as a faint line. On a chart, the wheel zooms and a drag moves back in "
                            "time; right-click a chart to export it"));
    m_now->setText(tr("&Now"));
    m_now->setToolTip(tr("Back to the chosen window, ending now (or double-click a chart)"));
    m_now->setEnabled(false);
    connect(m_now, &QToolButton::clicked, this, &MetricsPanel::followNow);
    m_hint->setEnabled(false);
    m_hint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(windowLabel);
    bar->addWidget(m_window);
    bar->addWidget(m_now);
    bar->addStretch(1);
    layout->addLayout(bar);
    // On a line of its own: beside the window's list, the Details pane's default width left it
    // half the room it needs ("erp-db · synthetic figures (demo dat…").
    layout->addWidget(m_hint);

    auto *grid = new QGridLayout;
    grid->setSpacing(4);
    for (int i = 0; i < 4; ++i) {
        auto *chart = new MetricsChart(store, this);
        grid->addWidget(chart, i / 2, i % 2);
        m_charts.append(chart);
        connect(chart, &MetricsChart::rangeChangedByUser, this,
                [this, chart](qint64 fromMs, qint64 toMs) { chartMoved(chart, fromMs, toMs); });
        connect(chart, &MetricsChart::followNowRequested, this, &MetricsPanel::followNow);
    }
    layout->addLayout(grid, 1);

    connect(store, &MetricsStore::samplesAppended, this, [this](const QStringList &hosts) {
        const QString vmHost = m_store->hostOf(m_vm.uuid);
        if (hosts.contains(m_host.isEmpty() ? (vmHost.isEmpty() ? m_vm.hostUri : vmHost) : m_host))
            updateHint();
    });
    connect(m_window, &QComboBox::currentIndexChanged, this, &MetricsPanel::windowChosen);
    setWindowSeconds(QSettings().value(QLatin1String(WindowKey), 600).toInt());
    showNothing();
}

int MetricsPanel::windowSeconds() const
{
    return m_charts.first()->windowSeconds();
}

bool MetricsPanel::isPinned() const
{
    return m_charts.first()->isPinned();
}

void MetricsPanel::setWindowSeconds(int seconds)
{
    const int index = m_window->findData(seconds);
    if (index < 0 || seconds <= 0)
        seconds = 600;
    m_chosenSeconds = seconds;
    {
        const QSignalBlocker blocker(m_window);
        showCustomInCombo(false);
        m_window->setCurrentIndex(m_window->findData(seconds));
    }
    for (MetricsChart *chart : std::as_const(m_charts))
        chart->setWindowSeconds(seconds);
    m_now->setEnabled(false);
    updateHint();
}

void MetricsPanel::windowChosen()
{
    const int data = m_window->currentData().toInt();
    if (data == CustomShown)
        return;
    if (data == CustomAsk) {
        askCustomRange();
        return;
    }
    setWindowSeconds(data);
    QSettings().setValue(QLatin1String(WindowKey), data);
}

void MetricsPanel::followNow()
{
    setWindowSeconds(m_chosenSeconds);
}

void MetricsPanel::setRange(qint64 fromMs, qint64 toMs)
{
    for (MetricsChart *chart : std::as_const(m_charts))
        chart->setRange(fromMs, toMs);
    showCustomInCombo(true);
    updateHint();
}

void MetricsPanel::chartMoved(MetricsChart *source, qint64 fromMs, qint64 toMs)
{
    for (MetricsChart *chart : std::as_const(m_charts)) {
        if (chart != source)
            chart->setRange(fromMs, toMs);
    }
    showCustomInCombo(true);
    updateHint();
}

void MetricsPanel::showCustomInCombo(bool shown)
{
    const QSignalBlocker blocker(m_window);
    const int index = m_window->findData(CustomShown);
    if (!shown) {
        if (index >= 0)
            m_window->removeItem(index);
        return;
    }
    const QLocale locale;
    const MetricsChart *chart = m_charts.first();
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(chart->windowStartMs());
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(chart->windowEndMs());
    const QString text = chart->isPinned() ? tr("%1 – %2").arg(locale.toString(from, QLocale::ShortFormat), locale.toString(to, QLocale::ShortFormat))
                                           : tr("Since %1").arg(locale.toString(from, QLocale::ShortFormat));
    if (index >= 0)
        m_window->setItemText(index, text);
    else
        m_window->insertItem(0, text, CustomShown);
    m_window->setCurrentIndex(m_window->findData(CustomShown));
    m_now->setEnabled(true);
}

void MetricsPanel::askCustomRange()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Custom range"));
    auto *form = new QFormLayout(&dialog);
    const QDateTime now = QDateTime::currentDateTime();
    auto *from = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(m_charts.first()->windowStartMs()), &dialog);
    auto *to = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(m_charts.first()->windowEndMs()), &dialog);
    for (QDateTimeEdit *edit : {from, to}) {
        edit->setCalendarPopup(true);
        edit->setMaximumDateTime(now);
        edit->setMinimumDateTime(now.addDays(-731));
    }
    from->setObjectName(QStringLiteral("rangeFrom"));
    to->setObjectName(QStringLiteral("rangeTo"));
    form->addRow(tr("&From:"), from);
    form->addRow(tr("&To:"), to);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    const auto check = [&] { buttons->button(QDialogButtonBox::Ok)->setEnabled(from->dateTime().secsTo(to->dateTime()) >= 30); };
    connect(from, &QDateTimeEdit::dateTimeChanged, &dialog, check);
    connect(to, &QDateTimeEdit::dateTimeChanged, &dialog, check);
    check();
    if (dialog.exec() == QDialog::Accepted) {
        setRange(from->dateTime().toMSecsSinceEpoch(), to->dateTime().toMSecsSinceEpoch());
        return;
    }
    // Cancelled: the list shows what the charts show.
    if (isPinned() || m_window->findData(CustomShown) >= 0) {
        showCustomInCombo(true);
    } else {
        const QSignalBlocker blocker(m_window);
        m_window->setCurrentIndex(m_window->findData(m_chosenSeconds));
    }
}

void MetricsPanel::setHistory(MetricsHistory *history)
{
    if (m_history)
        disconnect(m_history, nullptr, this, nullptr);
    m_history = history;
    for (MetricsChart *chart : std::as_const(m_charts))
        chart->setHistory(history);
    if (history) {
        connect(history, &MetricsHistory::opened, this, &MetricsPanel::updateHint);
        connect(history, &MetricsHistory::demoSeeded, this, &MetricsPanel::updateHint);
    }
    updateHint();
}

void MetricsPanel::showVm(const VmKey &key, const QString &name)
{
    m_vm = key;
    m_host.clear();
    m_name = name;
    m_charts[0]->setTitle(tr("CPU"));
    m_charts[0]->showVm(key, {VmMetric::CpuPercent});
    //: Legend of the CPU chart: share of the VM's vCPUs
    m_charts[0]->setLineNames({tr("of its vCPUs")});
    m_charts[1]->setTitle(tr("Memory"));
    m_charts[1]->showVm(key, {VmMetric::MemoryUsedKiB, VmMetric::MemoryAvailableKiB, VmMetric::MemoryRssKiB});
    //: Legends of the memory chart (short): used by the guest, available to it, resident on the host
    m_charts[1]->setLineNames({tr("used"), tr("available"), tr("resident (host)")});
    m_charts[2]->setTitle(tr("Disk"));
    m_charts[2]->showVm(key, {VmMetric::DiskReadBytesPerSec, VmMetric::DiskWriteBytesPerSec},
                        {VmMetric::DiskReadIops, VmMetric::DiskWriteIops});
    //: Legends of the disk chart (short): bytes read, written, then operations (dashed)
    m_charts[2]->setLineNames({tr("read"), tr("write"), tr("read ops"), tr("write ops")});
    m_charts[3]->setTitle(tr("Network"));
    m_charts[3]->showVm(key, {VmMetric::NetRxBytesPerSec, VmMetric::NetTxBytesPerSec},
                        {VmMetric::NetRxPacketsPerSec, VmMetric::NetTxPacketsPerSec});
    //: Legends of the network chart (short): bytes received, sent, then packets (dashed)
    m_charts[3]->setLineNames({tr("received"), tr("sent"), tr("pkts in"), tr("pkts out")});
    for (MetricsChart *chart : std::as_const(m_charts))
        chart->setSubject(name);
    for (MetricsChart *chart : std::as_const(m_charts))
        chart->setVisible(true);
    updateHint();
}

void MetricsPanel::showHost(const QString &uri, const QString &name)
{
    m_vm = {};
    m_host = uri;
    m_name = name;
    m_charts[0]->setTitle(tr("CPU"));
    m_charts[0]->showHost(uri, {HostMetric::CpuPercent});
    m_charts[0]->setLineNames({tr("all host CPUs")});
    m_charts[1]->setTitle(tr("Memory"));
    m_charts[1]->showHost(uri, {HostMetric::MemoryUsedKiB, HostMetric::MemoryTotalKiB});
    m_charts[1]->setLineNames({tr("used"), tr("total")});
    for (MetricsChart *chart : std::as_const(m_charts))
        chart->setSubject(name);
    for (int i = 2; i < m_charts.size(); ++i) {
        m_charts[i]->showNothing();
        m_charts[i]->setVisible(false);
    }
    updateHint();
}

void MetricsPanel::showNothing()
{
    m_vm = {};
    m_host.clear();
    m_name.clear();
    for (MetricsChart *chart : std::as_const(m_charts)) {
        chart->showNothing();
        chart->setTitle(QString());
    }
    m_hint->setFullText({});
}

void MetricsPanel::updateHint()
{
    const QString host = m_host.isEmpty() ? m_vm.hostUri : m_host;
    if (host.isEmpty()) {
        m_hint->setFullText({});
        return;
    }
    const qsizetype samples = m_host.isEmpty() ? m_store->sampleCount(m_vm) : m_store->hostSampleCount(m_host);
    QString text = m_name;
    const bool longWindow = windowSeconds() > 3600 || m_charts.first()->tier() != HistoryTier::Live;
    if (longWindow && !(m_history && m_history->isOpen()))
        text = tr("%1 · no stored history: only the last hour is shown").arg(m_name);
    else if (samples == 0 && !longWindow)
        text = tr("%1 · no figures yet: they come with the host's next tick").arg(m_name);
    else if (m_store->isDemo(host))
        text = tr("%1 · synthetic figures (demo datacenter)").arg(m_name);
    m_hint->setFullText(text);
}

} // namespace Vigie
