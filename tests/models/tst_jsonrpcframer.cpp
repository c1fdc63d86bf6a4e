#include "network/jsonrpcframer.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigie;

class tst_JsonRpcFramer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framing_data();
    void framing();
    void byteByByteMatchesWhole();
    void largeMessagesLeftToParse();
    void hugeStringIsRefusedWithoutBuffering();
    void deepNestingIsRefused_data();
    void deepNestingIsRefused();
    void failedFramerStaysFailedUntilReset();
};

void tst_JsonRpcFramer::framing_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("chunkSize"); // 0: whole input at once
    QTest::addColumn<int>("messages");
    QTest::addColumn<QString>("error"); // substring of the error, empty: none
    QTest::addColumn<qsizetype>("pending"); // bytes of an incomplete message left over

    const QByteArray echo = R"({"id":1,"method":"echo","params":[]})";
    const QByteArray update = R"({"id":null,"method":"update2","params":["m",{"T":{"00000000-0000-0000-0000-000000000001":{"insert":{"s":"a}b{c\"]"}}}}]})";
    QTest::newRow("one message") << echo << 0 << 1 << QString() << qsizetype(0);
    QTest::newRow("three in one read") << echo + update + echo << 0 << 3 << QString() << qsizetype(0);
    QTest::newRow("whitespace between") << " \n" + echo + "\r\n\t " + echo + "\n" << 0 << 2 << QString() << qsizetype(0);
    QTest::newRow("split in 1-byte reads") << echo + update << 1 << 2 << QString() << qsizetype(0);
    QTest::newRow("split in 7-byte reads") << echo + update + echo << 7 << 3 << QString() << qsizetype(0);
    QTest::newRow("braces inside strings") << update << 3 << 1 << QString() << qsizetype(0);
    QTest::newRow("escaped backslash before quote") << QByteArray(R"({"a":"x\\","b":"}"})") << 2 << 1 << QString() << qsizetype(0);
    QTest::newRow("unicode escape and UTF-8") << QByteArray(R"({"a":"\u00e9t\u00e9 — été"})") << 1 << 1 << QString() << qsizetype(0);
    QTest::newRow("truncated frame waits") << echo + echo.left(10) << 0 << 1 << QString() << qsizetype(10);
    QTest::newRow("truncated inside string") << QByteArray(R"({"a":"abc)") << 0 << 0 << QString() << qsizetype(9);
    QTest::newRow("empty input") << QByteArray() << 0 << 0 << QString() << qsizetype(0);
    QTest::newRow("garbage between messages") << echo + "xyz" << 0 << 1 << u"unexpected byte 0x78"_s << qsizetype(0);
    QTest::newRow("bare scalar") << QByteArray("42") << 0 << 0 << u"unexpected byte 0x34"_s << qsizetype(0);
    QTest::newRow("stray closing brace") << QByteArray("}") << 0 << 0 << u"unexpected byte 0x7d"_s << qsizetype(0);
    QTest::newRow("array is not a message") << QByteArray("[1,2]") << 0 << 0 << u"not a JSON object"_s << qsizetype(0);
    QTest::newRow("mismatched brackets") << QByteArray(R"({"a":[1,2}])") << 0 << 0 << u"invalid JSON"_s << qsizetype(0);
    QTest::newRow("invalid token") << QByteArray(R"({"a":tru})") << 0 << 0 << u"invalid JSON"_s << qsizetype(0);
    QTest::newRow("NUL byte in value") << QByteArray("{\"a\":\0}", 7) << 0 << 0 << u"invalid JSON"_s << qsizetype(0);
    QTest::newRow("invalid UTF-8 in string") << QByteArray("{\"a\":\"\xff\xfe\"}") << 0 << 0 << u"invalid JSON"_s << qsizetype(0);
    QTest::newRow("message over a small limit") << echo + echo << 5 << 0 << u"maximum size"_s << qsizetype(0);
}

void tst_JsonRpcFramer::framing()
{
    QFETCH(QByteArray, input);
    QFETCH(int, chunkSize);
    QFETCH(int, messages);
    QFETCH(QString, error);
    QFETCH(qsizetype, pending);

    // The last row uses a 30-byte limit: the first 36-byte message already breaks it.
    const bool small = QByteArray(QTest::currentDataTag()) == "message over a small limit";
    JsonRpcFramer framer(small ? 30 : JsonRpcFramer::DefaultMaxMessageSize);
    QList<QJsonObject> received;
    bool ok = true;
    const int step = chunkSize > 0 ? chunkSize : int(std::max<qsizetype>(input.size(), 1));
    for (qsizetype at = 0; at < input.size() && ok; at += step) {
        ok = framer.feed(QByteArrayView(input).sliced(at, std::min<qsizetype>(step, input.size() - at)));
        received += framer.takeMessages();
    }
    QCOMPARE(received.size(), messages);
    if (error.isEmpty()) {
        QVERIFY2(ok, qPrintable(framer.error()));
        QCOMPARE(framer.bufferedBytes(), pending);
    } else {
        QVERIFY(!ok);
        QVERIFY2(framer.error().contains(error), qPrintable(framer.error()));
        QCOMPARE(framer.bufferedBytes(), 0);
    }
}

void tst_JsonRpcFramer::byteByByteMatchesWhole()
{
    const QByteArray input = R"({"id":3,"result":[{"rows":[{"name":"front","ports":["set",[["uuid","6b0f1d9e-5c1f-4a6b-9a3c-1f2e3d4c5b6a"]]]}]}],"error":null} {"id":4,"result":{},"error":null})";
    JsonRpcFramer whole;
    QVERIFY(whole.feed(input));
    const QList<QJsonObject> expected = whole.takeMessages();
    QCOMPARE(expected.size(), 2);
    JsonRpcFramer bytes;
    QList<QJsonObject> got;
    for (char c : input) {
        QVERIFY(bytes.feed(QByteArrayView(&c, 1)));
        got += bytes.takeMessages();
    }
    QCOMPARE(got, expected);
    QCOMPARE(got.at(0).value("result"_L1).toArray().at(0).toObject().value("rows"_L1).toArray().at(0).toObject().value("name"_L1).toString(),
             u"front"_s);
}

// A client parses its large messages on another thread: those are framed, in order among the
// small ones, and parse() reads them as the framer would have.
void tst_JsonRpcFramer::largeMessagesLeftToParse()
{
    const QByteArray small = R"({"id":1,"method":"echo","params":[]})";
    const QByteArray large = R"({"id":2,"result":[{"rows":[{"name":"front","other_config":{"a":"}{\""}}]}],"error":null})";
    const QByteArray broken = R"({"id":3,"result":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24}])";
    const QByteArray input = small + "\n" + large + small + broken;
    JsonRpcFramer whole;
    QVERIFY(whole.feed(small + large + small));
    const QList<QJsonObject> expected = whole.takeMessages();

    JsonRpcFramer framer;
    framer.setParseLaterFrom(small.size() + 1);
    QList<JsonRpcFramer::Frame> frames;
    for (qsizetype at = 0; at < input.size(); at += 5) {
        QVERIFY2(framer.feed(QByteArrayView(input).sliced(at, std::min<qsizetype>(5, input.size() - at))), qPrintable(framer.error()));
        frames += framer.takeFrames();
    }
    QCOMPARE(frames.size(), 4);
    QVERIFY(frames.at(0).json.isEmpty());
    QCOMPARE(frames.at(0).message, expected.at(0));
    QCOMPARE(frames.at(1).json, large);
    QVERIFY(frames.at(1).message.isEmpty());
    QVERIFY(frames.at(2).json.isEmpty());
    QCOMPARE(frames.at(2).message, expected.at(2));

    QString error;
    QVERIFY2(JsonRpcFramer::parse(&frames[1], &error), qPrintable(error));
    QCOMPARE(frames.at(1).message, expected.at(1));
    QVERIFY(frames.at(1).json.isEmpty());
    // A broken large message is the parse's error, said with its place in the stream.
    QVERIFY(!JsonRpcFramer::parse(&frames[3], &error));
    QVERIFY2(error.contains(u"invalid JSON in message at stream offset %1"_s.arg(input.size() - broken.size())), qPrintable(error));
}

void tst_JsonRpcFramer::hugeStringIsRefusedWithoutBuffering()
{
    // A 100 MB string from a hostile server, fed in 1 MiB reads as a socket would deliver it.
    JsonRpcFramer framer;
    const qsizetype total = 100 * 1000 * 1000;
    const QByteArray chunk(1024 * 1024, 'x');
    const QByteArray opening = "{\"id\":1,\"result\":\"";
    QVERIFY(framer.feed(opening));
    qsizetype fed = 0;
    qsizetype peak = 0;
    bool ok = true;
    while (fed < total && ok) {
        ok = framer.feed(chunk);
        fed += chunk.size();
        peak = std::max(peak, framer.bufferedBytes());
    }
    QVERIFY(!ok);
    QVERIFY2(framer.error().contains("maximum size"_L1), qPrintable(framer.error()));
    // Refused as soon as the limit was crossed, not at the end of the string.
    QVERIFY2(fed <= JsonRpcFramer::DefaultMaxMessageSize + chunk.size(), qPrintable(QString::number(fed)));
    QVERIFY(peak <= JsonRpcFramer::DefaultMaxMessageSize);
    QCOMPARE(framer.bufferedBytes(), 0);
    QVERIFY(framer.takeMessages().isEmpty());
}

void tst_JsonRpcFramer::deepNestingIsRefused_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("accepted");
    const auto nested = [](int depth, char open, char close) {
        return "{\"a\":" + QByteArray(depth - 1, open) + QByteArray(depth - 1, close) + "}";
    };
    QTest::newRow("64 levels") << nested(64, '[', ']') << true;
    QTest::newRow("65 levels") << nested(65, '[', ']') << false;
    QTest::newRow("10000 arrays") << nested(10000, '[', ']') << false;
    QByteArray objects;
    for (int i = 0; i < 10000; ++i)
        objects += "{\"k\":";
    objects += "1" + QByteArray(10000, '}');
    QTest::newRow("10000 objects") << objects << false;
    QTest::newRow("10000 unclosed") << QByteArray(10000, '[').prepend('{') << false;
}

void tst_JsonRpcFramer::deepNestingIsRefused()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, accepted);
    JsonRpcFramer framer;
    QCOMPARE(framer.feed(input), accepted);
    QCOMPARE(framer.takeMessages().size(), accepted ? 1 : 0);
    if (!accepted)
        QVERIFY2(framer.error().contains("nests deeper than 64"_L1), qPrintable(framer.error()));
}

void tst_JsonRpcFramer::failedFramerStaysFailedUntilReset()
{
    JsonRpcFramer framer;
    QVERIFY(!framer.feed("nope"));
    QVERIFY(!framer.feed(R"({"id":1})"));
    QVERIFY(framer.takeMessages().isEmpty());
    framer.reset();
    QVERIFY(!framer.hasError());
    QVERIFY(framer.feed(R"({"id":1})"));
    QCOMPARE(framer.takeMessages().size(), 1);
}

QTEST_GUILESS_MAIN(tst_JsonRpcFramer)
#include "tst_jsonrpcframer.moc"
