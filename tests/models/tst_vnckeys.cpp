// The GUI-free parts of the VNC display: Qt keys to X keysyms, text to the key events that type
// it (Shift held around what needs it, a cap, what no key types left out), the Send key menu's
// combinations, and where a domain's live XML says its VNC display listens.
#include "hypervisor/vnckeys.h"
#include "hypervisor/vncworker.h"

#include <QTest>

using namespace Vigie;

namespace {

// The strokes as text: "+x" pressed, "-x" released (keysyms as hex, printable ASCII as itself).
QString script(const QList<VncKeyStroke> &strokes)
{
    QStringList out;
    for (const VncKeyStroke &stroke : strokes) {
        const QString key = stroke.keysym > 0x20 && stroke.keysym < 0x7f ? QString(QChar(char16_t(stroke.keysym)))
                                                                          : QString::number(stroke.keysym, 16);
        out.append((stroke.down ? QLatin1Char('+') : QLatin1Char('-')) + key);
    }
    return out.join(u' ');
}

} // namespace

class tst_VncKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keysym_data()
    {
        QTest::addColumn<int>("key");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("modifiers");
        QTest::addColumn<uint>("keysym");
        QTest::newRow("a") << int(Qt::Key_A) << "a" << 0 << 0x61u;
        QTest::newRow("shift A") << int(Qt::Key_A) << "A" << int(Qt::ShiftModifier) << 0x41u;
        QTest::newRow("ctrl c: the key, not the control character") << int(Qt::Key_C) << "\x03"
                                                                     << int(Qt::ControlModifier) << 0x63u;
        QTest::newRow("ctrl shift c") << int(Qt::Key_C) << "\x03" << int(Qt::ControlModifier | Qt::ShiftModifier)
                                      << 0x43u;
        QTest::newRow("digit") << int(Qt::Key_7) << "7" << 0 << 0x37u;
        QTest::newRow("e acute, Latin-1") << int(Qt::Key_Eacute) << "é" << 0 << 0xe9u;
        QTest::newRow("euro, Unicode keysym") << int(Qt::Key_unknown) << "€" << 0 << 0x010020acu;
        QTest::newRow("space") << int(Qt::Key_Space) << " " << 0 << 0x20u;
        QTest::newRow("return") << int(Qt::Key_Return) << "\r" << 0 << 0xff0du;
        QTest::newRow("keypad enter") << int(Qt::Key_Enter) << "\r" << int(Qt::KeypadModifier) << 0xff8du;
        QTest::newRow("backspace") << int(Qt::Key_Backspace) << "\b" << 0 << 0xff08u;
        QTest::newRow("escape") << int(Qt::Key_Escape) << "\x1b" << 0 << 0xff1bu;
        QTest::newRow("delete") << int(Qt::Key_Delete) << "" << 0 << 0xffffu;
        QTest::newRow("left") << int(Qt::Key_Left) << "" << 0 << 0xff51u;
        QTest::newRow("F1") << int(Qt::Key_F1) << "" << 0 << 0xffbeu;
        QTest::newRow("F12") << int(Qt::Key_F12) << "" << 0 << 0xffc9u;
        QTest::newRow("ctrl") << int(Qt::Key_Control) << "" << int(Qt::ControlModifier) << 0xffe3u;
        QTest::newRow("alt") << int(Qt::Key_Alt) << "" << int(Qt::AltModifier) << 0xffe9u;
        QTest::newRow("shift") << int(Qt::Key_Shift) << "" << int(Qt::ShiftModifier) << 0xffe1u;
        QTest::newRow("backtab") << int(Qt::Key_Backtab) << "" << int(Qt::ShiftModifier) << 0xff09u;
        QTest::newRow("unknown, no text") << int(Qt::Key_unknown) << "" << 0 << 0u;
    }

    void keysym()
    {
        QFETCH(int, key);
        QFETCH(QString, text);
        QFETCH(int, modifiers);
        QFETCH(uint, keysym);
        QCOMPARE(VncKeys::keysymFor(key, text, Qt::KeyboardModifiers(modifiers)), keysym);
    }

    void typing_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("cap");
        QTest::addColumn<QString>("strokes");
        QTest::addColumn<int>("typed");
        QTest::addColumn<int>("skipped");
        QTest::newRow("lower case") << "ls" << 100 << "+l -l +s -s" << 2 << 0;
        QTest::newRow("shift held over a run") << "aBC d" << 100 << "+a -a +ffe1 +B -B +C -C -ffe1 +20 -20 +d -d" << 5
                                               << 0;
        QTest::newRow("shifted symbols") << "$(" << 100 << "+ffe1 +$ -$ +( -( -ffe1" << 2 << 0;
        QTest::newRow("shift released at the end") << "X" << 100 << "+ffe1 +X -X -ffe1" << 1 << 0;
        QTest::newRow("newline is Return, CRLF one Return") << "a\r\nb\n" << 100
                                                            << "+a -a +ff0d -ff0d +b -b +ff0d -ff0d" << 4 << 0;
        QTest::newRow("tab") << "\t" << 100 << "+ff09 -ff09" << 1 << 0;
        QTest::newRow("control characters left out") << "a\x01\x07" "b" << 100 << "+a -a +b -b" << 2 << 2;
        QTest::newRow("capped") << "abcdef" << 3 << "+a -a +b -b +c -c" << 3 << 0;
        QTest::newRow("latin-1 and unicode") << "é€" << 100 << "+e9 -e9 +10020ac -10020ac" << 2 << 0;
        QTest::newRow("empty") << "" << 100 << "" << 0 << 0;
    }

    void typing()
    {
        QFETCH(QString, text);
        QFETCH(int, cap);
        QFETCH(QString, strokes);
        QFETCH(int, typed);
        QFETCH(int, skipped);
        const VncTyping result = VncKeys::typing(text, cap);
        QCOMPARE(script(result.strokes), strokes);
        QCOMPARE(result.typed, typed);
        QCOMPARE(result.skipped, skipped);
    }

    void typingLongText()
    {
        // Every press has its release and Shift is never left held, however the text is cut.
        const QString text = QString(QStringLiteral("Hello, World! 123\n")).repeated(500);
        const VncTyping result = VncKeys::typing(text, 4096);
        QCOMPARE(result.typed, 4096);
        QHash<quint32, int> held;
        for (const VncKeyStroke &stroke : result.strokes)
            held[stroke.keysym] += stroke.down ? 1 : -1;
        for (auto it = held.cbegin(); it != held.cend(); ++it)
            QVERIFY2(it.value() == 0, qPrintable(QString::number(it.key(), 16)));
    }

    void combinations()
    {
        const QList<VncKeyCombination> list = VncKeys::combinations();
        QVERIFY(list.size() >= 10);
        QCOMPARE(list.first().id, QStringLiteral("ctrl-alt-del"));
        // Linux input codes: left Ctrl, left Alt, Delete.
        QCOMPARE(list.first().keycodes, (QList<quint32>{29, 56, 111}));
        QSet<QString> ids;
        for (const VncKeyCombination &combination : list) {
            QVERIFY(!combination.label.isEmpty());
            QVERIFY(!combination.keycodes.isEmpty());
            // virDomainSendKey takes at most 16 codes.
            QVERIFY(combination.keycodes.size() <= 16);
            ids.insert(combination.id);
        }
        QCOMPARE(ids.size(), list.size());
        const auto f2 = std::find_if(list.cbegin(), list.cend(),
                                     [](const VncKeyCombination &c) { return c.id == QLatin1String("ctrl-alt-f2"); });
        QVERIFY(f2 != list.cend());
        QCOMPARE(f2->keycodes, (QList<quint32>{29, 56, 60}));
    }

    void graphics_data()
    {
        QTest::addColumn<QString>("xml");
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("listen");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("socket");
        QTest::addColumn<QString>("other");
        QTest::newRow("none") << "<domain><devices><serial type='pty'/></devices></domain>" << -1 << "" << -1 << ""
                              << "";
        QTest::newRow("vnc with a listen child")
            << "<domain><devices><graphics type='vnc' port='5903' autoport='yes' listen='127.0.0.1'>"
               "<listen type='address' address='127.0.0.1'/></graphics></devices></domain>"
            << 0 << "127.0.0.1" << 5903 << "" << "";
        QTest::newRow("listen child only") << "<domain><devices><graphics type='vnc' port='5901'>"
                                              "<listen type='address' address='0.0.0.0'/></graphics></devices></domain>"
                                           << 0 << "0.0.0.0" << 5901 << "" << "";
        QTest::newRow("not allocated (shut off)") << "<domain><devices><graphics type='vnc' port='-1' autoport='yes'/>"
                                                     "</devices></domain>"
                                                  << 0 << "" << -1 << "" << "";
        QTest::newRow("after spice") << "<domain><devices><graphics type='spice' port='5900'/>"
                                        "<graphics type='vnc' port='5901'/></devices></domain>"
                                     << 1 << "" << 5901 << "" << "";
        QTest::newRow("spice only") << "<domain><devices><graphics type='spice' port='5900'/></devices></domain>" << -1
                                    << "" << -1 << "" << "spice";
        QTest::newRow("unix socket") << "<domain><devices><graphics type='vnc'><listen type='socket' "
                                        "socket='/run/libvirt/qemu/vnc.sock'/></graphics></devices></domain>"
                                     << 0 << "" << -1 << "/run/libvirt/qemu/vnc.sock" << "";
        QTest::newRow("hostile port") << "<domain><devices><graphics type='vnc' port='99999999999'/></devices></domain>"
                                      << 0 << "" << -1 << "" << "";
        QTest::newRow("graphics outside devices ignored")
            << "<domain><metadata><graphics type='vnc' port='5900'/></metadata></domain>" << -1 << "" << -1 << "" << "";
        QTest::newRow("broken xml") << "<domain><devices><graphics type='vnc' port='5900'" << -1 << "" << -1 << "" << "";
    }

    void graphics()
    {
        QFETCH(QString, xml);
        QFETCH(int, index);
        QFETCH(QString, listen);
        QFETCH(int, port);
        QFETCH(QString, socket);
        QFETCH(QString, other);
        const VncGraphics graphics = VncWorker::parseGraphics(xml);
        QCOMPARE(graphics.index, index);
        QCOMPARE(graphics.listen, listen);
        QCOMPARE(graphics.port, port);
        QCOMPARE(graphics.socket, socket);
        QCOMPARE(graphics.otherType, other);
    }
};

QTEST_GUILESS_MAIN(tst_VncKeys)
#include "tst_vnckeys.moc"
