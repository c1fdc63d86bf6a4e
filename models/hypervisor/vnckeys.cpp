#include "vnckeys.h"

#include <QCoreApplication>
#include <QHash>

namespace Vigie::VncKeys {

namespace {

// X keysyms (X11/keysymdef.h) of the keys that type no character.
constexpr quint32 XK_BackSpace = 0xff08;
constexpr quint32 XK_Tab = 0xff09;
constexpr quint32 XK_Return = 0xff0d;
constexpr quint32 XK_Shift_L = 0xffe1;

const QHash<int, quint32> &specialKeys()
{
    static const QHash<int, quint32> keys{
        {Qt::Key_Backspace, XK_BackSpace},
        {Qt::Key_Tab, XK_Tab},
        {Qt::Key_Backtab, XK_Tab}, // Shift+Tab: Shift is sent as a key of its own
        {Qt::Key_Return, XK_Return},
        {Qt::Key_Enter, 0xff8d}, // KP_Enter
        {Qt::Key_Escape, 0xff1b},
        {Qt::Key_Insert, 0xff63},
        {Qt::Key_Delete, 0xffff},
        {Qt::Key_Pause, 0xff13},
        {Qt::Key_Print, 0xff61},
        {Qt::Key_SysReq, 0xff15},
        {Qt::Key_Home, 0xff50},
        {Qt::Key_Left, 0xff51},
        {Qt::Key_Up, 0xff52},
        {Qt::Key_Right, 0xff53},
        {Qt::Key_Down, 0xff54},
        {Qt::Key_PageUp, 0xff55},
        {Qt::Key_PageDown, 0xff56},
        {Qt::Key_End, 0xff57},
        {Qt::Key_Menu, 0xff67},
        {Qt::Key_NumLock, 0xff7f},
        {Qt::Key_ScrollLock, 0xff14},
        {Qt::Key_CapsLock, 0xffe5},
        {Qt::Key_Shift, XK_Shift_L},
        {Qt::Key_Control, 0xffe3},
        {Qt::Key_Meta, 0xffe7},
        {Qt::Key_Alt, 0xffe9},
        {Qt::Key_AltGr, 0xfe03}, // ISO_Level3_Shift
        {Qt::Key_Super_L, 0xffeb},
        {Qt::Key_Super_R, 0xffec},
        {Qt::Key_Space, 0x20},
    };
    return keys;
}

bool printable(char32_t c)
{
    return c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0);
}

} // namespace

quint32 keysymFor(int key, const QString &text, Qt::KeyboardModifiers modifiers)
{
    if (key >= Qt::Key_F1 && key <= Qt::Key_F35)
        return 0xffbe + quint32(key - Qt::Key_F1);
    if (const auto special = specialKeys().constFind(key); special != specialKeys().cend())
        return *special;
    const QList<uint> codePoints = text.toUcs4();
    if (codePoints.size() == 1 && printable(codePoints.first()))
        return keysymForCharacter(codePoints.first());
    // Ctrl held: the text is a control character, the key says which key it was.
    if (key >= Qt::Key_A && key <= Qt::Key_Z)
        return (modifiers & Qt::ShiftModifier) ? quint32(key) : quint32(key - Qt::Key_A + 'a');
    if (key >= 0x20 && key <= 0xff)
        return quint32(key);
    return 0;
}

quint32 keysymForCharacter(char32_t character)
{
    if (character == u'\n' || character == u'\r')
        return XK_Return;
    if (character == u'\t')
        return XK_Tab;
    if (!printable(character) || (character >= 0xd800 && character <= 0xdfff) || character > 0x10ffff)
        return 0;
    if (character <= 0xff)
        return quint32(character);
    return 0x01000000 + quint32(character);
}

bool needsShift(char32_t character)
{
    if (character >= u'A' && character <= u'Z')
        return true;
    static const QString shifted = QStringLiteral("~!@#$%^&*()_+{}|:\"<>?");
    return character < 0x80 && shifted.contains(QChar(char16_t(character)));
}

VncTyping typing(const QString &text, int maxCharacters)
{
    VncTyping result;
    bool shift = false;
    const QList<uint> codePoints = text.toUcs4();
    for (qsizetype i = 0; i < codePoints.size() && result.typed + result.skipped < maxCharacters; ++i) {
        const char32_t c = codePoints.at(i);
        // A Windows line end types one Return.
        if (c == u'\r' && i + 1 < codePoints.size() && codePoints.at(i + 1) == u'\n')
            continue;
        const quint32 keysym = keysymForCharacter(c);
        if (!keysym) {
            ++result.skipped;
            continue;
        }
        const bool wantShift = needsShift(c);
        if (wantShift != shift) {
            result.strokes.append({XK_Shift_L, wantShift});
            shift = wantShift;
        }
        result.strokes.append({keysym, true});
        result.strokes.append({keysym, false});
        ++result.typed;
    }
    if (shift)
        result.strokes.append({XK_Shift_L, false});
    return result;
}

QList<VncKeyCombination> combinations()
{
    // Linux input key codes (linux/input-event-codes.h).
    constexpr quint32 LeftCtrl = 29, LeftAlt = 56, Delete = 111, Backspace = 14, SysRq = 99, F1 = 59;
    const auto tr = [](const char *text) { return QCoreApplication::translate("Vigie::VncKeys", text); };
    QList<VncKeyCombination> list{
        {QStringLiteral("ctrl-alt-del"), tr("Ctrl+Alt+Del"), {LeftCtrl, LeftAlt, Delete}},
        {QStringLiteral("ctrl-alt-backspace"), tr("Ctrl+Alt+Backspace"), {LeftCtrl, LeftAlt, Backspace}},
    };
    for (quint32 n = 1; n <= 8; ++n)
        list.append({QStringLiteral("ctrl-alt-f%1").arg(n), tr("Ctrl+Alt+F%1").arg(n), {LeftCtrl, LeftAlt, F1 + n - 1}});
    list.append({QStringLiteral("print"), tr("Print Screen"), {SysRq}});
    return list;
}

} // namespace Vigie::VncKeys
