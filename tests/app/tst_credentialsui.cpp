#include "credentialsui.h"

#include "credentialsdialog.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "keyring.h"
#include "testkeyring.h"

#include <QCheckBox>
#include <QDirIterator>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

#include <optional>

using namespace Vigie;

namespace {

QStringList s_log;

void keepMessage(QtMsgType, const QMessageLogContext &, const QString &message)
{
    s_log.append(message);
}

const QByteArray Password = "Right-pw-of-admin-3317";

// Answers DIALOG as an operator would: the user name "admin" where one is asked (unless filled in
// already), PASSWORD where a password is. True when it asked a password (the dialogs that offer
// to remember): the test driver asks the user name and the password in two calls.
bool answer(CredentialsDialog *dialog, const QByteArray &password)
{
    bool secret = false;
    const QList<QLineEdit *> fields = dialog->findChildren<QLineEdit *>();
    for (int i = 0; i < fields.size(); ++i) {
        if (fields.at(i)->echoMode() == QLineEdit::Password) {
            fields.at(i)->setText(QString::fromUtf8(password));
            secret = true;
        } else if (fields.at(i)->text().isEmpty()) {
            fields.at(i)->setText(QStringLiteral("admin"));
        }
    }
    return secret;
}

} // namespace

// A libvirt host that asks for credentials (the test driver with an <auth> block), answered by
// the dialog and, when the operator ticks the box, by the desktop's keyring (a real GNOME Keyring
// on a private bus) at the next connection; a refused remembered password brings the dialog back.
class TestCredentialsUi : public QObject
{
    Q_OBJECT

private:
    std::optional<Keyring::Answer> keyringEntry()
    {
        Keyring keyring;
        std::optional<Keyring::Answer> answer;
        keyring.read(CredentialsUi::entryOf(m_uri), [&answer](Keyring::Answer given) { answer = std::move(given); });
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000))
            return std::nullopt;
        return answer;
    }

    bool setKeyringEntry(const QByteArray &entry)
    {
        Keyring keyring;
        std::optional<bool> ok;
        keyring.write(CredentialsUi::entryOf(m_uri), entry, [&ok](const Keyring::Answer &answer) { ok = answer.ok; });
        return QTest::qWaitFor([&ok] { return ok.has_value(); }, 20'000) && *ok;
    }

    // Connects the secured host, answering a dialog (if one shows) with PASSWORD and REMEMBER.
    // Returns the dialogs shown (with the note each had) and the state the host reached.
    struct Outcome
    {
        QStringList notes;
        QList<bool> ticked; // the box as the dialog opened
        ConnectionState state = ConnectionState::Disconnected;
        QString message;
    };
    Outcome connectOnce(const QByteArray &password, bool remember)
    {
        Outcome outcome;
        Inventory inventory;
        SessionManager sessions(&inventory);
        CredentialsUi ui(&sessions, &inventory, &m_window);
        connect(&sessions, &SessionManager::credentialsRequested, &ui, &CredentialsUi::ask);
        connect(&ui, &CredentialsUi::dialogShown, this, [&](CredentialsDialog *dialog) {
            auto *note = dialog->findChild<QLabel *>(QStringLiteral("credentialsNote"));
            auto *box = dialog->findChild<QCheckBox *>(QStringLiteral("rememberPassword"));
            if (answer(dialog, password)) {
                outcome.notes.append(note && !note->isHidden() ? note->text() : QString());
                outcome.ticked.append(box && box->isChecked());
                QVERIFY(box);
                box->setChecked(remember);
            } else {
                QVERIFY(!box);
            }
            dialog->accept();
        });
        QSignalSpy settled(&sessions, &SessionManager::settled);
        sessions.addConnection(m_uri);
        if (!settled.wait(20'000))
            return outcome;
        outcome.state = inventory.host(m_uri).state;
        outcome.message = inventory.host(m_uri).stateMessage;
        return outcome;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_desktop.busUp());
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QLoggingCategory::setFilterRules(QStringLiteral("vigie.*=true"));
        qInstallMessageHandler(keepMessage);
        const QString path = m_dir.filePath(QStringLiteral("secured.xml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("<node><auth><user password='" + Password + "'>admin</user></auth>"
                   "<cpu><mhz>2400</mhz><model>TestCPU</model><active>4</active><nodes>1</nodes><sockets>1</sockets>"
                   "<cores>4</cores><threads>1</threads></cpu><memory>8388608</memory></node>\n");
        file.close();
        m_uri = QStringLiteral("test://") + path;
    }

    void cleanupTestCase() { qInstallMessageHandler(nullptr); }

    // Functions run in this order: this one before the keyring's daemon is started. The reason is
    // said where the password is asked, and no box offers to remember it.
    void withoutKeyringNoBoxAndTheReason()
    {
        Inventory inventory;
        SessionManager sessions(&inventory);
        CredentialsUi ui(&sessions, &inventory, &m_window);
        connect(&sessions, &SessionManager::credentialsRequested, &ui, &CredentialsUi::ask);
        QStringList notes;
        int boxes = 0;
        connect(&ui, &CredentialsUi::dialogShown, this, [&](CredentialsDialog *dialog) {
            auto *note = dialog->findChild<QLabel *>(QStringLiteral("credentialsNote"));
            const QString shown = note && !note->isHidden() ? note->text() : QString();
            if (answer(dialog, Password))
                notes.append(shown);
            else
                QCOMPARE(shown, QString()); // the user name's question says nothing of the keyring
            if (dialog->findChild<QCheckBox *>(QStringLiteral("rememberPassword")))
                ++boxes;
            dialog->accept();
        });
        QSignalSpy settled(&sessions, &SessionManager::settled);
        sessions.addConnection(m_uri);
        QVERIFY(settled.wait(20'000));
        QCOMPARE(inventory.host(m_uri).state, ConnectionState::Connected);
        QCOMPARE(notes.size(), 1);
        QVERIFY2(notes.first().contains(QStringLiteral("did not answer")), qPrintable(notes.first()));
        QCOMPARE(boxes, 0);
    }

    void keyringStarts() { QVERIFY(m_desktop.start()); }

    void notRememberedUnlessTicked()
    {
        const Outcome outcome = connectOnce(Password, false);
        QVERIFY2(outcome.state == ConnectionState::Connected, qPrintable(outcome.message));
        QCOMPARE(outcome.notes, QStringList{QString()});
        QCOMPARE(outcome.ticked, QList<bool>{false});
        const auto entry = keyringEntry();
        QVERIFY(entry);
        QVERIFY(entry->notFound);
    }

    void rememberedThenGivenWithoutAsking()
    {
        Outcome outcome = connectOnce(Password, true);
        QVERIFY2(outcome.state == ConnectionState::Connected, qPrintable(outcome.message));
        QCOMPARE(outcome.notes.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(keyringEntry() && keyringEntry()->ok, 20'000);
        QCOMPARE(keyringEntry()->secret, "admin\n" + Password);

        // The next connection (as after a restart) asks nobody.
        outcome = connectOnce("never typed", true);
        QCOMPARE(outcome.state, ConnectionState::Connected);
        QCOMPARE(outcome.notes, QStringList());
    }

    void refusedRememberedPasswordAsksAgain()
    {
        QVERIFY(setKeyringEntry("admin\nan-old-password"));
        Inventory inventory;
        SessionManager sessions(&inventory);
        CredentialsUi ui(&sessions, &inventory, &m_window);
        connect(&sessions, &SessionManager::credentialsRequested, &ui, &CredentialsUi::ask);
        QStringList notes;
        QList<bool> ticked;
        QStringList users;
        connect(&ui, &CredentialsUi::dialogShown, this, [&](CredentialsDialog *dialog) {
            auto *note = dialog->findChild<QLabel *>(QStringLiteral("credentialsNote"));
            QString user;
            for (QLineEdit *field : dialog->findChildren<QLineEdit *>()) {
                if (field->echoMode() == QLineEdit::Normal)
                    user = field->text();
            }
            if (answer(dialog, Password)) {
                notes.append(note && !note->isHidden() ? note->text() : QString());
                ticked.append(dialog->remember());
            } else {
                users.append(user); // as the dialog opened: from the keyring
            }
            dialog->accept();
        });
        QSignalSpy settled(&sessions, &SessionManager::settled);
        sessions.addConnection(m_uri);
        QVERIFY(settled.wait(20'000));
        // The remembered password went without a dialog, and the host refused it.
        QCOMPARE(inventory.host(m_uri).state, ConnectionState::Failed);
        QCOMPARE(notes, QStringList());

        // Tried again: the dialog, saying why, the box ticked, the user name filled in.
        sessions.reconnect(m_uri);
        QTRY_COMPARE_WITH_TIMEOUT(inventory.host(m_uri).state, ConnectionState::Connected, 20'000);
        QCOMPARE(notes.size(), 1);
        QVERIFY2(notes.first().contains(QStringLiteral("was refused")), qPrintable(notes.first()));
        QCOMPARE(ticked, QList<bool>{true});
        QCOMPARE(users, QStringList{QStringLiteral("admin")});
        QTRY_COMPARE_WITH_TIMEOUT(keyringEntry()->secret, "admin\n" + Password, 20'000);
    }

    void untickedForgets()
    {
        QVERIFY(setKeyringEntry("admin\nan-old-password"));
        // Refused once (from the keyring), then the dialog: answered with the box unticked.
        Inventory inventory;
        SessionManager sessions(&inventory);
        CredentialsUi ui(&sessions, &inventory, &m_window);
        connect(&sessions, &SessionManager::credentialsRequested, &ui, &CredentialsUi::ask);
        connect(&ui, &CredentialsUi::dialogShown, this, [](CredentialsDialog *dialog) {
            if (answer(dialog, Password))
                dialog->offerToRemember(false);
            dialog->accept();
        });
        QSignalSpy settled(&sessions, &SessionManager::settled);
        sessions.addConnection(m_uri);
        QVERIFY(settled.wait(20'000));
        sessions.reconnect(m_uri);
        QTRY_COMPARE_WITH_TIMEOUT(inventory.host(m_uri).state, ConnectionState::Connected, 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(keyringEntry() && keyringEntry()->notFound, 20'000);
    }

    // Nothing of the password in the configuration folder or the log.
    void passwordNowhereElse()
    {
        QSettings().sync();
        QDirIterator files(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation), QDir::Files,
                           QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains(Password), qPrintable(file.fileName()));
        }
        QVERIFY(!s_log.isEmpty());
        for (const QString &line : std::as_const(s_log))
            QVERIFY2(!line.contains(QString::fromUtf8(Password)), qPrintable(line));
    }

private:
    Test::TestKeyring m_desktop;
    QTemporaryDir m_dir;
    QString m_uri;
    QWidget m_window;
};

QTEST_MAIN(TestCredentialsUi)
#include "tst_credentialsui.moc"
