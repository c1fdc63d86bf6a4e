#include "quotabars.h"

#include "displaytext.h"
#include "itemmodels/vmtablemodel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

#include <algorithm>

namespace Vigie {

namespace {

QProgressBar *bar(QWidget *parent)
{
    auto *bar = new QProgressBar(parent);
    bar->setTextVisible(true);
    bar->setMinimumWidth(170);
    bar->setMaximumHeight(parent->fontMetrics().height() + 6);
    return bar;
}

// Used of limit; a limit of 0 shows the use alone, the bar empty.
void showFigures(QProgressBar *bar, double used, double limit, const QString &text)
{
    bar->setRange(0, 1000);
    bar->setValue(limit > 0 ? int(std::clamp(used / limit, 0.0, 1.0) * 1000) : 0);
    bar->setFormat(text);
    bar->setToolTip(text);
    // Over its quota (the quota was lowered under what it holds): said in red.
    bar->setStyleSheet(limit > 0 && used > limit ? QStringLiteral("QProgressBar::chunk { background: #c0392b; }") : QString());
}

} // namespace

QuotaBars::QuotaBars(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_vcpus(bar(this))
    , m_memory(bar(this))
    , m_disk(bar(this))
{
    setObjectName(QStringLiteral("quotaBars"));
    m_title->setTextFormat(Qt::PlainText);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 0, 2, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_vcpus, 1);
    layout->addWidget(m_memory, 1);
    layout->addWidget(m_disk, 1);
}

void QuotaBars::setUsage(const QString &tenant, const TenantQuota &quota, const TenantUsage &usage)
{
    m_title->setText(tr("Quota of %1 (%n VM(s)):", nullptr, usage.vms).arg(DisplayText::singleLine(tenant)));
    showFigures(m_vcpus, usage.vcpus, quota.vcpus,
         quota.vcpus > 0 ? tr("vCPUs: %1 of %2").arg(usage.vcpus).arg(quota.vcpus) : tr("vCPUs: %1, no limit").arg(usage.vcpus));
    const QString memory = formatMemoryKiB(usage.memoryMiB * 1024);
    showFigures(m_memory, double(usage.memoryMiB), double(quota.memoryMiB),
         quota.memoryMiB > 0 ? tr("Memory: %1 of %2").arg(memory, formatMemoryKiB(quota.memoryMiB * 1024))
                             : tr("Memory: %1, no limit").arg(memory));
    // The inventory knows no volume sizes: the limit bounds what a new VM brings.
    QString disk;
    if (usage.diskGiB)
        disk = quota.diskGiB > 0 ? tr("Disk: %1 GiB of %2 GiB").arg(*usage.diskGiB).arg(quota.diskGiB)
                                 : tr("Disk: %1 GiB, no limit").arg(*usage.diskGiB);
    else
        disk = quota.diskGiB > 0 ? tr("Disk: %1 GiB (existing volumes not counted)").arg(quota.diskGiB) : tr("Disk: no limit");
    showFigures(m_disk, double(usage.diskGiB.value_or(0)), double(quota.diskGiB), disk);
}

QStringList QuotaBars::texts() const
{
    return {m_vcpus->format(), m_memory->format(), m_disk->format()};
}

} // namespace Vigie
