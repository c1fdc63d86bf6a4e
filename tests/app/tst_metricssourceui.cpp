#include "metricssourceui.h"

#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "keyring.h"
#include "metrics/prometheussource.h"
#include "testkeyring.h"

#include <QDirIterator>
#include <QLoggingCategory>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
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

} // namespace

// The Prometheus password and token: in the desktop's keyring (a real GNOME Keyring on a private
// bus), never in the settings file or the log; and what the operator is told without a keyring.
class TestMetricsSourceUi : public QObject
{
    Q_OBJECT

private:
    static PrometheusConfig basicConfig(const QString &password)
    {
        PrometheusConfig config;
        config.url = QUrl(QStringLiteral("http://127.0.0.1:9"));
        config.user = QStringLiteral("reader");
        config.password = password;
        return config;
    }

    // Every file of the configuration folder, and everything logged, that holds TEXT.
    static QStringList holding(const QString &text)
    {
        QSettings().sync();
        QStringList found;
        QDirIterator files(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation), QDir::Files,
                           QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            if (file.open(QIODevice::ReadOnly) && file.readAll().contains(text.toUtf8()))
                found.append(file.fileName());
        }
        for (const QString &line : std::as_const(s_log)) {
            if (line.contains(text))
                found.append(QStringLiteral("log: ") + line);
        }
        return found;
    }

    static std::optional<QByteArray> inKeyring(const QString &entry)
    {
        Keyring keyring;
        std::optional<Keyring::Answer> answer;
        keyring.read(entry, [&answer](Keyring::Answer given) { answer = std::move(given); });
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000) || !answer->ok)
            return std::nullopt;
        return answer->secret;
    }

    // A window's worth of it, restored from the settings as at a start.
    struct Restarted
    {
        Inventory inventory;
        SessionManager sessions{&inventory};
        QWidget window;
        MetricsSourceUi ui{&sessions, &window};
    };

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_desktop.busUp());
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QLoggingCategory::setFilterRules(QStringLiteral("vigie.*=true"));
        qInstallMessageHandler(keepMessage);
    }

    void cleanupTestCase() { qInstallMessageHandler(nullptr); }

    // Before the keyring's daemon runs (functions run in this order): not remembered, and said so.
    void withoutKeyringNothingIsWrittenInClear()
    {
        const QString password = QStringLiteral("no-keyring-Pw-7781");
        {
            Restarted first;
            QSignalSpy problems(&first.ui, &MetricsSourceUi::problem);
            first.ui.apply(basicConfig(password), true);
            QVERIFY(problems.wait(20'000));
            QCOMPARE(problems.first().at(0).toString(), QStringLiteral("The Prometheus password is not remembered"));
            QVERIFY(problems.first().at(1).toString().contains(QStringLiteral("did not take it")));
            // Used for this session all the same.
            QVERIFY(first.sessions.prometheus());
            QCOMPARE(first.sessions.prometheus()->config().password, password);
        }
        QCOMPARE(holding(password), QStringList());

        // At the next start: the source comes back without its password, and the operator is told.
        Restarted second;
        QSignalSpy problems(&second.ui, &MetricsSourceUi::problem);
        second.ui.restore();
        QVERIFY(problems.wait(20'000));
        QCOMPARE(problems.first().at(0).toString(), QStringLiteral("The Prometheus password is not in the keyring"));
        QVERIFY(second.sessions.prometheus());
        QCOMPARE(second.sessions.prometheus()->config().user, QStringLiteral("reader"));
        QVERIFY(second.sessions.prometheus()->config().password.isEmpty());
    }

    void keyringStarts() { QVERIFY(m_desktop.start()); }

    void passwordKeptInTheKeyring()
    {
        const QString password = QStringLiteral("Kept-in-keyring-9932");
        {
            Restarted first;
            QSignalSpy problems(&first.ui, &MetricsSourceUi::problem);
            first.ui.apply(basicConfig(password), true);
            QTRY_COMPARE_WITH_TIMEOUT(inKeyring(QStringLiteral("prometheus-password")), std::optional(password.toUtf8()), 20'000);
            QCOMPARE(problems.count(), 0);
        }
        QCOMPARE(holding(password), QStringList());

        Restarted second;
        QSignalSpy problems(&second.ui, &MetricsSourceUi::problem);
        second.ui.restore();
        QTRY_VERIFY_WITH_TIMEOUT(second.sessions.prometheus(), 20'000);
        QCOMPARE(second.sessions.prometheus()->config().password, password);
        QCOMPARE(second.sessions.prometheus()->config().user, QStringLiteral("reader"));
        QCOMPARE(problems.count(), 0);
    }

    void tokenKeptAndPasswordDropped()
    {
        PrometheusConfig config = basicConfig({});
        config.user.clear();
        config.bearerToken = QStringLiteral("bearer-Token-5501");
        {
            Restarted first;
            first.ui.apply(config, true);
            QTRY_COMPARE_WITH_TIMEOUT(inKeyring(QStringLiteral("prometheus-token")), std::optional(config.bearerToken.toUtf8()), 20'000);
            // The basic password of the previous choice is no longer kept.
            QTRY_COMPARE_WITH_TIMEOUT(inKeyring(QStringLiteral("prometheus-password")), std::optional<QByteArray>(), 20'000);
        }
        QCOMPARE(holding(config.bearerToken), QStringList());
        Restarted second;
        second.ui.restore();
        QTRY_VERIFY_WITH_TIMEOUT(second.sessions.prometheus(), 20'000);
        QCOMPARE(second.sessions.prometheus()->config().bearerToken, config.bearerToken);
    }

    // What an older version wrote in clear text moves to the keyring and out of the file.
    void olderClearTextMovesToTheKeyring()
    {
        const QString password = QStringLiteral("Legacy-clear-text-4410");
        {
            QSettings settings;
            settings.clear();
            settings.setValue(QStringLiteral("metrics/source"), QStringLiteral("prometheus"));
            settings.setValue(QStringLiteral("metrics/prometheusUrl"), QStringLiteral("http://127.0.0.1:9"));
            settings.setValue(QStringLiteral("metrics/prometheusUser"), QStringLiteral("reader"));
            settings.setValue(QStringLiteral("metrics/prometheusPassword"), password);
        }
        QVERIFY(!holding(password).isEmpty());
        Restarted restarted;
        restarted.ui.restore();
        QVERIFY(restarted.sessions.prometheus());
        QCOMPARE(restarted.sessions.prometheus()->config().password, password);
        QTRY_COMPARE_WITH_TIMEOUT(inKeyring(QStringLiteral("prometheus-password")), std::optional(password.toUtf8()), 20'000);
        QCOMPARE(holding(password), QStringList());
    }

private:
    Test::TestKeyring m_desktop;
};

QTEST_MAIN(TestMetricsSourceUi)
#include "tst_metricssourceui.moc"
