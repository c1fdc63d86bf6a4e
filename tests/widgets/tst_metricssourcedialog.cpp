// View › Metrics source…: the choice round-trips (URL, basic or bearer credentials, targets), a
// URL that is not http(s) with a host cannot be accepted, and the dialog says where the secrets
// are kept (the desktop's keyring, not the settings file). VIGIE_SCREENSHOT_DIR=dir saves a picture of it.
#include "metricssourcedialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigie;

class TestMetricsSourceDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void directByDefault()
    {
        MetricsSourceDialog dialog(std::nullopt);
        QVERIFY(!dialog.config().has_value());
        const auto edits = dialog.findChildren<QLineEdit *>();
        for (QLineEdit *edit : edits)
            QVERIFY(!edit->isEnabled());
    }

    void roundTrip()
    {
        PrometheusConfig config;
        config.url = QUrl(u"https://prom.example:9090/prefix"_s);
        config.bearerToken = u"tok"_s;
        config.targets.insert(u"10.0.0.11:9177"_s, u"qemu+ssh://hv1/system"_s);
        config.targets.insert(u"10.0.0.12:9177"_s, u"qemu+ssh://hv2/system"_s);
        MetricsSourceDialog dialog(config);
        const auto result = dialog.config();
        QVERIFY(result.has_value());
        QCOMPARE(result->url, config.url);
        QCOMPARE(result->bearerToken, u"tok"_s);
        QVERIFY(result->user.isEmpty());
        QCOMPARE(result->targets, config.targets);

        // Basic instead: the token is not kept.
        auto *auth = dialog.findChild<QComboBox *>();
        QVERIFY(auth);
        auth->setCurrentIndex(1);
        const auto edits = dialog.findChildren<QLineEdit *>();
        QCOMPARE(edits.size(), 4); // URL, user, password, token
        edits.at(1)->setText(u"vigie"_s);
        edits.at(2)->setText(u"pw"_s);
        QVERIFY(!edits.at(3)->isEnabled());
        const auto basic = dialog.config();
        QCOMPARE(basic->user, u"vigie"_s);
        QCOMPARE(basic->password, u"pw"_s);
        QVERIFY(basic->bearerToken.isEmpty());

        bool saysKeyring = false;
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            saysKeyring = saysKeyring || label->text().contains(u"desktop's keyring"_s);
        QVERIFY(saysKeyring);

        if (const QString dir = qEnvironmentVariable("VIGIE_SCREENSHOT_DIR"); !dir.isEmpty()) {
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            QVERIFY(dialog.grab().save(dir + u"/metrics-source.png"_s));
        }
    }

    void urlChecked_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("acceptable");
        QTest::newRow("http") << u"http://127.0.0.1:9090"_s << true;
        QTest::newRow("https with prefix") << u"https://prom.example/prometheus"_s << true;
        QTest::newRow("host only") << u"prom.example"_s << true; // taken as http://
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("ftp") << u"ftp://prom.example"_s << false;
        QTest::newRow("file") << u"/etc/passwd"_s << false;
    }

    void urlChecked()
    {
        QFETCH(QString, url);
        QFETCH(bool, acceptable);
        MetricsSourceDialog dialog(std::nullopt);
        dialog.findChildren<QRadioButton *>().at(1)->setChecked(true);
        dialog.findChildren<QLineEdit *>().at(0)->setText(url);
        QCOMPARE(dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled(), acceptable);
    }
};

QTEST_MAIN(TestMetricsSourceDialog)
#include "tst_metricssourcedialog.moc"
