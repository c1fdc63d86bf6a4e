#include "evacuationdialog.h"

#include "displaytext.h"
#include "itemmodels/vmtablemodel.h"
#include "plaintext.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QStyle>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace Vigie {

namespace {

// The dialog fits a 1366x768 screen with its title bar and a panel: the table scrolls.
constexpr int MaxHeight = 600;
constexpr int MaxNameWidth = 260;
constexpr int NoteWidth = 460; // three lines hold the longest note

const QColor ProblemColour(0xc6, 0x28, 0x28);

QWidget *warningRow(QWidget *parent, QLabel *text)
{
    auto *row = new QWidget(parent);
    auto *icon = new QLabel(row);
    const int iconSize = parent->style()->pixelMetric(QStyle::PM_SmallIconSize);
    icon->setPixmap(parent->style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize, iconSize));
    icon->setAlignment(Qt::AlignTop);
    text->setParent(row);
    makePlainWrappingLabel(text);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(icon);
    layout->addWidget(text, 1);
    return row;
}

} // namespace

EvacuationDialog::EvacuationDialog(const EvacuationPlan &plan, const MigrationOptions &defaults, QWidget *parent)
    : QDialog(parent)
    , m_plan(plan)
    , m_defaults(defaults)
    , m_moves(new QTableWidget(int(plan.moves.size()), ColumnCount, this))
    , m_caveatText(new QLabel)
    , m_problem(new QLabel)
    , m_copyDisks(new QCheckBox(tr("&Copy the VMs' disks to the destination (storage not shared between hosts)"), this))
    , m_evacuate(nullptr)
{
    setObjectName(QStringLiteral("evacuationDialog"));
    const QString hostName = DisplayText::singleLine(plan.hostName);
    setWindowTitle(tr("Evacuate %1").arg(hostName));

    auto *heading = new QLabel(tr("Migrate %n VM(s) off %1 and put it in maintenance? Each goes through the migration "
                                  "queue to the host chosen below.",
                                  nullptr, int(plan.moves.size()))
                                   .arg(DisplayText::name(plan.hostName)),
                               this);
    heading->setObjectName(QStringLiteral("evacuationHeading"));
    makePlainWrappingLabel(heading);

    m_moves->setObjectName(QStringLiteral("evacuationMoves"));
    m_moves->setHorizontalHeaderLabels({tr("VM"), tr("Size"), tr("Destination"), tr("Note")});
    m_moves->verticalHeader()->hide();
    m_moves->setSelectionMode(QAbstractItemView::NoSelection);
    m_moves->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_moves->setFocusPolicy(Qt::NoFocus); // the combo boxes take the focus
    m_moves->setWordWrap(true);
    m_moves->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_moves->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    QHeaderView *header = m_moves->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(NoteColumn, QHeaderView::Stretch);
    bool copyApplies = false;
    // A destination's text and tooltip, made once per host: 50 moves offered 199 hosts each
    // formatted them 10,000 times.
    struct Destination
    {
        QString text;
        QString toolTip;
    };
    QHash<QString, Destination> destinations;
    qsizetype longestDestination = 0;
    for (const EvacuationPlan::Host &host : plan.hosts) {
        QString text = DisplayText::singleLine(host.name);
        if (!plan.site.isEmpty() && !host.site.isEmpty() && host.site != plan.site)
            text = tr("%1 (site %2)", "a destination on another site").arg(text, DisplayText::singleLine(host.site));
        longestDestination = std::max(longestDestination, text.size());
        destinations.insert(host.uri, {text, tr("%1 free before the plan").arg(formatMemoryKiB(host.freeMemoryKiB))});
    }
    for (int row = 0; row < plan.moves.size(); ++row) {
        const EvacuationPlan::Move &move = plan.moves.at(row);
        // Item text is plain text: names from libvirt show as they are.
        auto *name = new QTableWidgetItem(DisplayText::singleLine(move.vmName));
        name->setToolTip(DisplayText::toolTip(move.vmName));
        m_moves->setItem(row, VmColumn, name);
        QString size = tr("%1 · %n vCPU(s)", nullptr, move.vcpus).arg(formatMemoryKiB(move.memoryKiB));
        if (move.disks > 0)
            size += QStringLiteral(" · ") + tr("%n disk(s)", nullptr, move.disks);
        auto *sizeItem = new QTableWidgetItem(size);
        if (!move.active) {
            sizeItem->setText(size + QStringLiteral(" · ") + tr("off", "a VM that is not running"));
            sizeItem->setToolTip(tr("It is off: it moves as its definition and takes no memory on the destination until "
                                    "it starts."));
        }
        m_moves->setItem(row, SizeColumn, sizeItem);
        auto *note = new QTableWidgetItem;
        note->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        m_moves->setItem(row, NoteColumn, note);
        // Disks are copied for a running VM only (an offline migration moves the definition).
        copyApplies = copyApplies || (move.active && move.disks > 0);

        auto *destination = new QComboBox;
        destination->setObjectName(QStringLiteral("evacuationDestination"));
        // As wide as the longest host's name, measured once, not each of its 199 items shaped
        // for each of 50 boxes.
        destination->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        destination->setMinimumContentsLength(int(longestDestination));
        destination->setToolTip(DisplayText::toolTip(
            tr("The hosts that can take %1. Another choice is checked again against the other moves.").arg(move.vmName)));
        for (const QString &uri : move.candidates) {
            const auto host = destinations.constFind(uri);
            if (host == destinations.cend())
                continue;
            destination->addItem(host->text, uri);
            destination->setItemData(destination->count() - 1, host->toolTip, Qt::ToolTipRole);
        }
        destination->setCurrentIndex(destination->findData(move.destUri));
        connect(destination, &QComboBox::currentIndexChanged, this, [this, row, destination] {
            setDestination(row, destination->currentData().toString());
        });
        m_moves->setCellWidget(row, DestinationColumn, destination);
    }

    // The VMs that stay, with the reason.
    QLabel *unplacedHeading = nullptr;
    if (!plan.unplaced.isEmpty()) {
        unplacedHeading = new QLabel(tr("%n VM(s) cannot move and stay on %1:", nullptr, int(plan.unplaced.size()))
                                         .arg(DisplayText::name(plan.hostName)),
                                     this);
        makePlainWrappingLabel(unplacedHeading);
        m_unplaced = new QTreeWidget(this);
        m_unplaced->setObjectName(QStringLiteral("evacuationUnplaced"));
        m_unplaced->setRootIsDecorated(false);
        m_unplaced->setSelectionMode(QAbstractItemView::NoSelection);
        m_unplaced->setFocusPolicy(Qt::NoFocus);
        m_unplaced->setHeaderLabels({tr("VM"), tr("Why it stays")});
        for (const EvacuationPlan::Unplaced &unplaced : plan.unplaced) {
            auto *item = new QTreeWidgetItem(m_unplaced, {DisplayText::singleLine(unplaced.vmName), DisplayText::singleLine(unplaced.reason)});
            item->setIcon(0, style()->standardIcon(QStyle::SP_MessageBoxWarning));
            item->setToolTip(1, DisplayText::toolTip(unplaced.reason));
        }
        m_unplaced->resizeColumnToContents(0);
        m_unplaced->setColumnWidth(0, std::min(m_unplaced->columnWidth(0), MaxNameWidth));
        const int rows = int(std::min<qsizetype>(plan.unplaced.size(), 4));
        m_unplaced->setFixedHeight(m_unplaced->sizeHintForRow(0) * rows + m_unplaced->header()->sizeHint().height()
                                   + 2 * m_unplaced->frameWidth());
    }

    m_caveatText->setObjectName(QStringLiteral("evacuationCaveats"));
    m_caveats = warningRow(this, m_caveatText);
    m_caveatText->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_caveats->hide();
    m_problem->setObjectName(QStringLiteral("evacuationProblem"));
    m_problemRow = warningRow(this, m_problem);
    QPalette problemPalette = m_problem->palette();
    problemPalette.setColor(QPalette::WindowText, ProblemColour);
    m_problem->setPalette(problemPalette);

    // Disks on storage the hosts do not share must be copied, or those migrations fail; on shared
    // storage they must not be. The operator knows which: the saved choice is the default.
    m_copyDisks->setObjectName(QStringLiteral("evacuationCopyDisks"));
    m_copyDisks->setChecked(defaults.copyStorage);
    m_copyDisks->setToolTip(tr("Needed when the disk images are local to each host; leave unchecked on shared storage. "
                               "A VM that is off moves as its definition: its disks are not copied."));
    m_copyDisks->setEnabled(copyApplies);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_evacuate = buttons->addButton(tr("&Evacuate"), QDialogButtonBox::AcceptRole);
    m_evacuate->setObjectName(QStringLiteral("evacuateButton"));
    // Nothing starts on a stray Enter: the default is to cancel.
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(m_moves, 1);
    layout->addWidget(m_problemRow);
    if (m_unplaced) {
        layout->addWidget(unplacedHeading);
        layout->addWidget(m_unplaced);
    }
    layout->addWidget(m_caveats);
    layout->addWidget(m_copyDisks);
    layout->addWidget(buttons);

    showReview();
    // Names are cut (with their tooltip whole) rather than pushing the notes out of the screen.
    m_moves->resizeColumnsToContents();
    header->resizeSection(VmColumn, std::min(header->sectionSize(VmColumn), MaxNameWidth));
    // The notes wrap: their rows follow the column's width.
    connect(header, &QHeaderView::sectionResized, m_moves, [this](int column) {
        if (column == NoteColumn)
            m_moves->resizeRowsToContents();
    });

    m_moves->setMinimumHeight(header->sizeHint().height() + 4 * m_moves->verticalHeader()->defaultSectionSize());

    // As wide as the table wants with room for the notes, within a 1366-pixel screen; the height
    // is set once shown, when the notes have wrapped.
    int tableWidth = 2 * m_moves->frameWidth() + m_moves->verticalScrollBar()->sizeHint().width() + NoteWidth;
    for (int column = 0; column < NoteColumn; ++column)
        tableWidth += header->sectionSize(column);
    const QMargins margins = layout->contentsMargins();
    resize(std::clamp(tableWidth + margins.left() + margins.right(), 640, 1100), sizeHint().height());
}

void EvacuationDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    if (m_fitted)
        return;
    m_fitted = true;
    // Every row in full when they fit within MaxHeight; else the table scrolls.
    m_moves->resizeRowsToContents();
    int tableHeight = m_moves->horizontalHeader()->height() + 2 * m_moves->frameWidth();
    for (int row = 0; row < m_moves->rowCount(); ++row)
        tableHeight += m_moves->rowHeight(row);
    resize(width(), std::min(MaxHeight, height() + std::max(0, tableHeight - m_moves->height())));
}

void EvacuationDialog::setCaveats(const QStringList &caveats)
{
    m_caveatText->setText(DisplayText::bounded(caveats.join(QStringLiteral("\n\n")), DisplayText::MaxToolTipLength));
    m_caveats->setVisible(!caveats.isEmpty());
}

MigrationOptions EvacuationDialog::options() const
{
    MigrationOptions options = m_defaults;
    options.copyStorage = m_copyDisks->isEnabled() && m_copyDisks->isChecked();
    return options;
}

void EvacuationDialog::setDestination(int row, const QString &destUri)
{
    if (row < 0 || row >= m_plan.moves.size() || destUri.isEmpty() || m_plan.moves.at(row).destUri == destUri)
        return;
    m_plan.moves[row].destUri = destUri;
    m_plan.review();
    showReview();
}

void EvacuationDialog::showReview()
{
    int misfits = 0;
    for (int row = 0; row < m_plan.moves.size(); ++row) {
        const EvacuationPlan::Move &move = m_plan.moves.at(row);
        QTableWidgetItem *note = m_moves->item(row, NoteColumn);
        QStringList lines = move.notes;
        if (!move.problem.isEmpty())
            lines.prepend(move.problem);
        const QString text = DisplayText::bounded(lines.join(QLatin1Char('\n')), DisplayText::MaxToolTipLength);
        note->setText(text);
        note->setToolTip(DisplayText::toolTip(text));
        if (!move.problem.isEmpty()) {
            ++misfits;
            note->setForeground(ProblemColour);
            note->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
        } else {
            note->setForeground(palette().brush(QPalette::Text));
            note->setIcon(move.notes.isEmpty() ? QIcon() : style()->standardIcon(QStyle::SP_MessageBoxInformation));
        }
    }
    m_moves->resizeRowsToContents();
    const QString why = m_plan.moves.isEmpty()
        ? tr("No VM can move.")
        : misfits > 0 ? tr("%n VM(s) do not fit where they are sent: choose another host for them.", nullptr, misfits) : QString();
    m_problem->setText(why);
    m_problemRow->setVisible(!why.isEmpty());
    m_evacuate->setEnabled(why.isEmpty());
    m_evacuate->setToolTip(DisplayText::toolTip(why));
    Q_EMIT planChanged();
}

} // namespace Vigie
