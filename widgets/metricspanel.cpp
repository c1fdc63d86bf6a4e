#include "metricspanel.h"

#include "metrics/metricsstore.h"
#include "metricschart.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QSettings>
#include <QVBoxLayout>

namespace Vigie {

namespace {

const char WindowKey[] = "metrics/windowSeconds";

} // namespace

MetricsPanel::MetricsPanel(MetricsStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_window(new QComboBox(this))
    , m_hint(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    auto *bar = new QHBoxLayout;
    auto *windowLabel = new QLabel(tr("&Window:"), this);
    windowLabel->setBuddy(m_window);
    m_window->addItem(tr("Last minute"), 60);
    m_window->addItem(tr("Last 10 minutes"), 600);
    m_window->addItem(tr("Last hour"), 3600);
    m_window->setToolTip(tr("Time shown by every chart; right-click a chart to export it"));
    m_hint->setEnabled(false);
    bar->addWidget(windowLabel);
    bar->addWidget(m_window);
    bar->addSpacing(12);
    bar->addWidget(m_hint, 1);
    layout->addLayout(bar);

    auto *grid = new QGridLayout;
    grid->setSpacing(4);
    for (int i = 0; i < 4; ++i) {
        auto *chart = new MetricsChart(store, this);
        grid->addWidget(chart, i / 2, i % 2);
        m_charts.append(chart);
    }
    layout->addLayout(grid, 1);

    connect(m_window, &QComboBox::currentIndexChanged, this, [this] {
        const int seconds = windowSeconds();
        for (MetricsChart *chart : std::as_const(m_charts))
            chart->setWindowSeconds(seconds);
        QSettings().setValue(QLatin1String(WindowKey), seconds);
    });
    setWindowSeconds(QSettings().value(QLatin1String(WindowKey), 600).toInt());
    showNothing();
}

int MetricsPanel::windowSeconds() const
{
    return m_window->currentData().toInt();
}

void MetricsPanel::setWindowSeconds(int seconds)
{
    const int index = m_window->findData(seconds);
    m_window->setCurrentIndex(index >= 0 ? index : 1);
    for (MetricsChart *chart : std::as_const(m_charts))
        chart->setWindowSeconds(windowSeconds());
}

void MetricsPanel::showVm(const VmKey &key, const QString &name)
{
    m_charts[0]->setTitle(tr("CPU — %1").arg(name));
    m_charts[0]->showVm(key, {VmMetric::CpuPercent});
    m_charts[1]->setTitle(tr("Memory — %1").arg(name));
    m_charts[1]->showVm(key, {VmMetric::MemoryUsedKiB, VmMetric::MemoryAvailableKiB, VmMetric::MemoryRssKiB});
    m_charts[2]->setTitle(tr("Disk — %1").arg(name));
    m_charts[2]->showVm(key, {VmMetric::DiskReadBytesPerSec, VmMetric::DiskWriteBytesPerSec},
                        {VmMetric::DiskReadIops, VmMetric::DiskWriteIops});
    m_charts[3]->setTitle(tr("Network — %1").arg(name));
    m_charts[3]->showVm(key, {VmMetric::NetRxBytesPerSec, VmMetric::NetTxBytesPerSec},
                        {VmMetric::NetRxPacketsPerSec, VmMetric::NetTxPacketsPerSec});
    for (MetricsChart *chart : std::as_const(m_charts))
        chart->setVisible(true);
    m_hint->setText(m_store->sampleCount(key) == 0 ? tr("No figures yet: they arrive with the next tick of the host.")
                                                   : QString());
}

void MetricsPanel::showHost(const QString &uri, const QString &name)
{
    m_charts[0]->setTitle(tr("CPU — %1").arg(name));
    m_charts[0]->showHost(uri, {HostMetric::CpuPercent});
    m_charts[1]->setTitle(tr("Memory — %1").arg(name));
    m_charts[1]->showHost(uri, {HostMetric::MemoryUsedKiB, HostMetric::MemoryTotalKiB});
    for (int i = 2; i < m_charts.size(); ++i) {
        m_charts[i]->showNothing();
        m_charts[i]->setVisible(false);
    }
    m_hint->setText(m_store->hostSampleCount(uri) == 0 ? tr("No figures yet: they arrive with the next tick of the host.")
                                                       : QString());
}

void MetricsPanel::showNothing()
{
    for (MetricsChart *chart : std::as_const(m_charts)) {
        chart->showNothing();
        chart->setTitle(QString());
    }
    m_hint->clear();
}

} // namespace Vigie
