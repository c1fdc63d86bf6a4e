#include "eventsearchdialog.h"

#include "inventory/eventcsv.h"
#include "itemmodels/eventlogmodel.h"
#include "metrics/metricshistory.h"

#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTableView>
#include <QVBoxLayout>

namespace Vigie {

EventSearchDialog::EventSearchDialog(MetricsHistory *history, QWidget *parent)
    : QDialog(parent)
    , m_history(history)
    , m_text(new QLineEdit(this))
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
    , m_view(new QTableView(this))
    , m_model(new EventLogModel(Limit, this))
    , m_status(new QLabel(this))
    , m_export(new QPushButton(tr("&Export as CSV…"), this))
{
    setWindowTitle(tr("Event history"));
    m_model->setShowDates(true);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_text->setPlaceholderText(tr("Host, connection, VM, action, result or user"));
    m_text->setClearButtonEnabled(true);
    form->addRow(tr("&Containing:"), m_text);
    auto *range = new QHBoxLayout;
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    //: Between the two times of the event search's range
    range->addWidget(m_from);
    range->addWidget(new QLabel(tr("to"), this));
    range->addWidget(m_to);
    range->addStretch(1);
    form->addRow(tr("&From:"), range);
    layout->addLayout(form);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_view, 1);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_export);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);
    resize(900, 520);

    const QDateTime now = QDateTime::currentDateTime();
    m_to->setDateTime(now.addSecs(3600));
    m_from->setDateTime(now.addDays(-7));
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &EventSearchDialog::search);
    connect(m_text, &QLineEdit::textChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(m_from, &QDateTimeEdit::dateTimeChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(m_to, &QDateTimeEdit::dateTimeChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(m_export, &QPushButton::clicked, this, &EventSearchDialog::exportInteractively);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(history, &MetricsHistory::eventsFound, this, [this](quint64 id, const QList<EventRecord> &events) {
        if (id != m_request)
            return;
        m_request = 0;
        m_model->setRecords(events);
        m_view->resizeColumnsToContents();
        m_view->scrollToBottom();
        m_status->setText(events.size() >= Limit ? tr("The newest %1 events; narrow the search to see older ones").arg(Limit)
                                                 : tr("%n event(s)", nullptr, int(events.size())));
        m_export->setEnabled(!events.isEmpty());
        Q_EMIT resultsShown(int(events.size()));
    });
    m_export->setEnabled(false);
    search();
}

void EventSearchDialog::setText(const QString &text)
{
    m_text->setText(text);
}

void EventSearchDialog::setRange(const QDateTime &from, const QDateTime &to)
{
    m_from->setDateTime(from);
    m_to->setDateTime(to);
}

void EventSearchDialog::search()
{
    m_debounce.stop();
    if (!m_history->isOpen() && m_history->path().isEmpty()) {
        m_status->setText(tr("No stored history: the event log is kept for this session only"));
        return;
    }
    m_status->setText(tr("Searching…"));
    m_request = m_history->searchEvents(m_text->text().trimmed(), m_from->dateTime().toMSecsSinceEpoch(),
                                        m_to->dateTime().toMSecsSinceEpoch(), Limit);
}

bool EventSearchDialog::exportCsv(const QString &path, QString *error) const
{
    QList<EventRecord> events;
    for (int row = 0; row < m_model->rowCount(); ++row)
        events.append(m_model->record(row));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(EventCsv::toCsv(events)) < 0 || !file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void EventSearchDialog::exportInteractively()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString name = QStringLiteral("vigie-events-%1.csv").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm")));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export events"), dir + u'/' + name, tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export events"), error);
}

} // namespace Vigie
