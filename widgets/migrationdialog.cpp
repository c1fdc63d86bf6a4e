#include "migrationdialog.h"

#include "displaytext.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QHeaderView>
#include <QSpinBox>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace Vigie {

MigrationDialog::MigrationDialog(const QString &vmName, const QString &source, const QString &destination,
                                 bool vmActive, const MigrationOptions &defaults, QWidget *parent)
    : MigrationDialog(QList<Candidate>{{vmName, source, vmActive, true, {}}}, destination, defaults, parent)
{
}

MigrationDialog::MigrationDialog(const QList<Candidate> &vms, const QString &destination, const MigrationOptions &defaults,
                                 QWidget *parent)
    : QDialog(parent)
    , m_note(new QLabel(this))
    , m_caveats(new QWidget(this))
    , m_caveatText(new QLabel(m_caveats))
    , m_cap(new QSpinBox(this))
    , m_live(new QCheckBox(tr("&Live (the VM keeps running)"), this))
    , m_persistent(new QCheckBox(tr("&Define on the destination"), this))
    , m_undefineSource(new QCheckBox(tr("&Remove the definition from the source"), this))
    , m_maxDowntime(new QSpinBox(this))
    , m_bandwidth(new QSpinBox(this))
    , m_autoConverge(new QCheckBox(tr("&Auto-converge (slow down a busy guest)"), this))
    , m_compression(new QCheckBox(tr("&Compress memory pages"), this))
    , m_postCopy(new QCheckBox(tr("&Post-copy after the first pass"), this))
    , m_copyStorage(new QCheckBox(tr("Copy &non-shared disks"), this))
    , m_mode(new QComboBox(this))
{
    const qsizetype allowed = std::count_if(vms.cbegin(), vms.cend(), [](const Candidate &c) { return c.allowed; });
    const bool vmActive = std::any_of(vms.cbegin(), vms.cend(), [](const Candidate &c) { return c.allowed && c.active; });
    // Names from libvirt: escaped, bounded and breakable, so the dialog keeps its width.
    auto *heading = new QLabel(this);
    if (vms.size() == 1) {
        const Candidate &vm = vms.first();
        setWindowTitle(tr("Migrate %1").arg(DisplayText::singleLine(vm.vmName)));
        heading->setText(tr("Move <b>%1</b> from <b>%2</b> to <b>%3</b>.")
                             .arg(DisplayText::html(vm.vmName, DisplayText::MaxLength),
                                  DisplayText::html(vm.source, DisplayText::MaxLength),
                                  DisplayText::html(destination, DisplayText::MaxLength)));
    } else {
        setWindowTitle(tr("Migrate %n VM(s)", nullptr, int(allowed)));
        QString text = tr("Move %n VM(s) to <b>%1</b>, through the migration queue.", nullptr, int(allowed))
                           .arg(DisplayText::html(destination, DisplayText::MaxLength));
        if (allowed < vms.size())
            text += QLatin1Char(' ') + tr("%n cannot go and are left out.", nullptr, int(vms.size() - allowed));
        heading->setText(text);
        m_vms = new QTreeWidget(this);
        m_vms->setObjectName(QStringLiteral("migrationVms"));
        m_vms->setRootIsDecorated(false);
        m_vms->setSelectionMode(QAbstractItemView::NoSelection);
        m_vms->setHeaderLabels({tr("VM"), tr("From"), tr("Pre-flight")});
        for (const Candidate &vm : vms) {
            // Item text is plain text: names from libvirt show as they are.
            auto *item = new QTreeWidgetItem(m_vms, {DisplayText::singleLine(vm.vmName), DisplayText::singleLine(vm.source),
                                                     vm.allowed ? tr("OK") : DisplayText::singleLine(vm.reason)});
            item->setIcon(0, style()->standardIcon(vm.allowed ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxWarning));
            if (!vm.allowed) {
                item->setToolTip(2, DisplayText::toolTip(vm.reason));
                for (int column = 0; column < 3; ++column)
                    item->setForeground(column, palette().brush(QPalette::Disabled, QPalette::Text));
            }
        }
        m_vms->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
        m_vms->setMaximumHeight(m_vms->sizeHintForRow(0) * 8 + m_vms->header()->sizeHint().height() + 6);
    }
    heading->setObjectName(QStringLiteral("migrationHeading"));
    heading->setTextFormat(Qt::RichText);
    heading->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("migrationNote"));
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    m_note->hide();
    auto *caveatIcon = new QLabel(m_caveats);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    caveatIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize, iconSize));
    caveatIcon->setAlignment(Qt::AlignTop);
    m_caveatText->setObjectName(QStringLiteral("migrationCaveats"));
    m_caveatText->setTextFormat(Qt::PlainText);
    m_caveatText->setWordWrap(true);
    m_caveatText->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    auto *caveatRow = new QHBoxLayout(m_caveats);
    caveatRow->setContentsMargins(0, 0, 0, 0);
    caveatRow->addWidget(caveatIcon);
    caveatRow->addWidget(m_caveatText, 1);
    m_caveats->hide();

    m_live->setChecked(defaults.live);
    m_persistent->setChecked(defaults.persistent);
    m_undefineSource->setChecked(defaults.undefineSource);
    m_maxDowntime->setRange(0, 60000);
    m_maxDowntime->setSingleStep(50);
    m_maxDowntime->setSuffix(tr(" ms"));
    m_maxDowntime->setSpecialValueText(tr("libvirt's default"));
    m_maxDowntime->setValue(defaults.maxDowntimeMs);
    m_maxDowntime->setToolTip(tr("Longest pause of the VM when it switches over to the destination."));
    m_bandwidth->setRange(0, 100000);
    m_bandwidth->setSuffix(tr(" MiB/s"));
    m_bandwidth->setSpecialValueText(tr("unlimited"));
    m_bandwidth->setValue(defaults.bandwidthMiBs);
    m_autoConverge->setChecked(defaults.autoConverge);
    m_compression->setChecked(defaults.compression);
    m_postCopy->setChecked(defaults.postCopy);
    m_postCopy->setObjectName(QStringLiteral("postCopy"));
    m_postCopy->setToolTip(tr("Post-copy: after the first full pass the VM switches over and runs on the destination "
                              "before all of its memory is copied; the rest follows on demand. It always converges, "
                              "but once switched over it can no longer be cancelled, and if the network between the "
                              "hosts fails then, the VM stays paused on both hosts until the migration is resumed "
                              "(Resume migration, once they reach each other again)."));
    m_copyStorage->setChecked(defaults.copyStorage);
    m_copyStorage->setToolTip(tr("Copies local disk images to the destination (slower); leave it off for shared "
                                 "storage."));
    // libvirt's "managed direct" and "peer to peer" migrations: who talks to the destination.
    m_mode->addItem(tr("Direct (Vigie drives both hosts)"), false);
    m_mode->addItem(tr("Peer to peer (the source host connects to the destination)"), true);
    m_mode->setToolTip(tr("Direct: Vigie connects to both hosts' libvirt and drives the migration (libvirt's managed "
                          "direct migration). Peer to peer: the source host's libvirt connects to the destination "
                          "itself: the hosts must reach each other's libvirt."));
    m_mode->setCurrentIndex(defaults.peerToPeer ? 1 : 0);
    m_cap->setObjectName(QStringLiteral("parallelPerHost"));
    m_cap->setRange(1, 16);
    m_cap->setToolTip(tr("How many queued migrations may leave, and arrive on, one host at the same time. Parallel "
                         "migrations share the migration network: each takes longer to converge, and each VM's final "
                         "pause grows."));

    // Options that only make sense for a running VM.
    for (QWidget *w : {static_cast<QWidget *>(m_live), static_cast<QWidget *>(m_maxDowntime),
                       static_cast<QWidget *>(m_autoConverge), static_cast<QWidget *>(m_compression),
                       static_cast<QWidget *>(m_postCopy), static_cast<QWidget *>(m_copyStorage)})
        w->setEnabled(vmActive);
    if (!vmActive) {
        m_persistent->setChecked(true);
        m_persistent->setEnabled(false); // an offline migration is a definition
    }

    auto *form = new QFormLayout;
    form->addRow(m_live);
    form->addRow(m_persistent);
    form->addRow(m_undefineSource);
    form->addRow(tr("Maximum &downtime:"), m_maxDowntime);
    form->addRow(tr("&Bandwidth:"), m_bandwidth);
    form->addRow(m_autoConverge);
    form->addRow(m_compression);
    form->addRow(m_postCopy);
    form->addRow(m_copyStorage);
    form->addRow(tr("&Mode:"), m_mode);
    form->addRow(tr("At once per &host:"), m_cap);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Migrate"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(allowed > 0);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_note);
    layout->addWidget(heading);
    if (m_vms)
        layout->addWidget(m_vms);
    layout->addWidget(m_caveats);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

void MigrationDialog::setCapPerHost(int cap)
{
    m_cap->setValue(cap);
}

int MigrationDialog::capPerHost() const
{
    return m_cap->value();
}

void MigrationDialog::setNote(const QString &note)
{
    m_note->setText(note); // plain text: it may quote a host name
    m_note->setVisible(!note.isEmpty());
}

void MigrationDialog::setCaveats(const QStringList &caveats)
{
    m_caveatText->setText(caveats.join(QStringLiteral("\n\n")));
    m_caveats->setVisible(!caveats.isEmpty());
}

MigrationOptions MigrationDialog::options() const
{
    MigrationOptions o;
    o.live = m_live->isChecked();
    o.persistent = m_persistent->isChecked();
    o.undefineSource = m_undefineSource->isChecked();
    o.maxDowntimeMs = m_maxDowntime->value();
    o.bandwidthMiBs = m_bandwidth->value();
    o.autoConverge = m_autoConverge->isChecked();
    o.compression = m_compression->isChecked();
    o.postCopy = m_postCopy->isChecked();
    o.copyStorage = m_copyStorage->isChecked();
    o.peerToPeer = m_mode->currentData().toBool();
    return o;
}

} // namespace Vigie
