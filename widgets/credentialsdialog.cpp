#include "credentialsdialog.h"

#include "displaytext.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Vigie {

CredentialsDialog::CredentialsDialog(const QString &uri, const QList<CredentialRequest> &requests, QWidget *parent)
    : QDialog(parent)
    , m_intro(new QLabel(this))
    , m_note(new QLabel(this))
    , m_uri(uri)
{
    setWindowTitle(tr("Authentication required"));
    // Wide enough for the URI and a note on a few lines, not a column of words.
    setMinimumWidth(fontMetrics().averageCharWidth() * 60);
    auto *layout = new QVBoxLayout(this);
    m_intro->setText(tr("<b>%1</b> asks for credentials. They are used for this connection only and never stored.")
                         .arg(DisplayText::html(uri, DisplayText::MaxLength)));
    m_intro->setTextFormat(Qt::RichText);
    m_intro->setWordWrap(true);
    layout->addWidget(m_intro);
    m_note->setObjectName(QStringLiteral("credentialsNote"));
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    m_note->hide();
    layout->addWidget(m_note);
    auto *form = new QFormLayout;
    for (const CredentialRequest &request : requests) {
        auto *field = new QLineEdit(this);
        field->setText(request.defaultValue);
        if (request.secret)
            field->setEchoMode(QLineEdit::Password);
        QString label;
        switch (request.kind) {
        case CredentialRequest::Kind::Username: label = tr("Username:"); break;
        case CredentialRequest::Kind::Password: label = tr("Password:"); break;
        case CredentialRequest::Kind::Passphrase: label = tr("Passphrase:"); break;
        case CredentialRequest::Kind::Other: label = request.prompt.isEmpty() ? tr("Answer:") : request.prompt; break;
        }
        field->setToolTip(DisplayText::toolTip(request.prompt)); // written by the remote side
        form->addRow(label, field);
        m_fields.append(field);
    }
    layout->addLayout(form);
    m_form = form;
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    if (!m_fields.isEmpty()) {
        // Focus the first field the operator still has to fill.
        QLineEdit *first = m_fields.first();
        for (QLineEdit *field : std::as_const(m_fields)) {
            if (field->text().isEmpty()) {
                first = field;
                break;
            }
        }
        first->setFocus();
    }
}

CredentialsDialog::~CredentialsDialog()
{
    for (QLineEdit *field : std::as_const(m_fields))
        field->clear();
}

CredentialReply CredentialsDialog::reply() const
{
    CredentialReply reply;
    reply.cancelled = result() != QDialog::Accepted;
    for (QLineEdit *field : m_fields)
        reply.values.append(field->text().toUtf8());
    return reply;
}

void CredentialsDialog::offerToRemember(bool ticked)
{
    if (!m_remember) {
        m_remember = new QCheckBox(tr("&Remember the password in the desktop's keyring"), this);
        m_remember->setObjectName(QStringLiteral("rememberPassword"));
        m_remember->setToolTip(tr("Kept by the desktop's keyring (GNOME Keyring, KWallet, KeePassXC…), never in Vigie's "
                                  "settings; given to this host at the next connection without asking. Untick to forget it."));
        m_form->addRow(QString(), m_remember);
        m_intro->setText(tr("<b>%1</b> asks for credentials.").arg(DisplayText::html(m_uri, DisplayText::MaxLength)));
    }
    m_remember->setChecked(ticked);
}

bool CredentialsDialog::remember() const
{
    return m_remember && m_remember->isChecked();
}

void CredentialsDialog::setNote(const QString &note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

void CredentialsDialog::setValue(int i, const QString &value)
{
    if (i >= 0 && i < m_fields.size())
        m_fields.at(i)->setText(value);
}

} // namespace Vigie
