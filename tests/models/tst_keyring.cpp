#include "keyring.h"

#include "testkeyring.h"

#include <QTest>

#include <optional>

using namespace Vigie;

// Keyring against a real Secret Service (GNOME Keyring on a private session bus), and before it
// runs: what a desktop without a keyring gets.
class TestKeyringClass : public QObject
{
    Q_OBJECT

private:
    template<typename Call>
    static std::optional<Keyring::Answer> answerOf(Call call)
    {
        std::optional<Keyring::Answer> answer;
        call([&answer](Keyring::Answer given) { answer = std::move(given); });
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000))
            return std::nullopt;
        return answer;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_desktop.busUp()); }

    // Functions run in this order: the first one before the keyring's daemon is started.
    void noKeyringSaysWhy()
    {
        Keyring keyring;
        const auto written = answerOf([&keyring](Keyring::Callback done) { keyring.write(QStringLiteral("entry"), "s3cret", std::move(done)); });
        QVERIFY(written);
        QVERIFY(!written->ok);
        QVERIFY(!written->notFound);
        QVERIFY2(!written->error.isEmpty(), "the operator is told why");
        const auto read = answerOf([&keyring](Keyring::Callback done) { keyring.read(QStringLiteral("entry"), std::move(done)); });
        QVERIFY(read);
        QVERIFY(!read->ok);
        QVERIFY(read->secret.isEmpty());
    }

    void keyringStarts() { QVERIFY(m_desktop.start()); }

    void writeReadRemove()
    {
        Keyring keyring;
        const QByteArray secret("pässword with spaces \x01 and bytes", 34);
        const auto written = answerOf([&](Keyring::Callback done) { keyring.write(QStringLiteral("entry"), secret, std::move(done)); });
        QVERIFY(written);
        QVERIFY2(written->ok, qPrintable(written->error));

        // Another object (as after a restart) reads what this one wrote.
        Keyring other;
        const auto read = answerOf([&](Keyring::Callback done) { other.read(QStringLiteral("entry"), std::move(done)); });
        QVERIFY(read);
        QVERIFY2(read->ok, qPrintable(read->error));
        QCOMPARE(read->secret, secret);

        const auto removed = answerOf([&](Keyring::Callback done) { keyring.remove(QStringLiteral("entry"), std::move(done)); });
        QVERIFY(removed);
        QVERIFY2(removed->ok, qPrintable(removed->error));
        const auto gone = answerOf([&](Keyring::Callback done) { other.read(QStringLiteral("entry"), std::move(done)); });
        QVERIFY(gone);
        QVERIFY(!gone->ok);
        QVERIFY2(gone->notFound, qPrintable(gone->error));
    }

    void entriesAreApart()
    {
        Keyring keyring;
        QVERIFY(answerOf([&](Keyring::Callback done) { keyring.write(QStringLiteral("a"), "first", std::move(done)); })->ok);
        QVERIFY(answerOf([&](Keyring::Callback done) { keyring.write(QStringLiteral("b"), "second", std::move(done)); })->ok);
        QVERIFY(answerOf([&](Keyring::Callback done) { keyring.write(QStringLiteral("a"), "replaced", std::move(done)); })->ok);
        QCOMPARE(answerOf([&](Keyring::Callback done) { keyring.read(QStringLiteral("a"), std::move(done)); })->secret, QByteArray("replaced"));
        QCOMPARE(answerOf([&](Keyring::Callback done) { keyring.read(QStringLiteral("b"), std::move(done)); })->secret, QByteArray("second"));
    }

    // A keyring object that goes while its job runs: the answer is dropped, nothing crashes.
    void destroyedWhileAsking()
    {
        bool called = false;
        {
            Keyring keyring;
            keyring.read(QStringLiteral("a"), [&called](const Keyring::Answer &) { called = true; });
        }
        Keyring later;
        const auto read = answerOf([&](Keyring::Callback done) { later.read(QStringLiteral("a"), std::move(done)); });
        QVERIFY(read && read->ok);
        QVERIFY(!called);
    }

private:
    Test::TestKeyring m_desktop;
};

QTEST_MAIN(TestKeyringClass)
#include "tst_keyring.moc"
