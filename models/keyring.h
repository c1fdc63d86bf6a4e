#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace Vigie {

// The desktop's keyring (a Secret Service such as GNOME Keyring or KeePassXC, or KWallet), through
// QtKeychain: where a remembered password is kept, never in Vigie's settings file. Entries are
// the application's (QtKeychain's service: the application name) under a key of the caller's.
// Asynchronous: QtKeychain runs on a thread of its own and each answer comes to its callback on
// the GUI thread, where this object lives; a locked, slow or missing keyring never blocks the
// window. With no keyring, nothing is stored elsewhere: the answer says so.
class Keyring : public QObject
{
    Q_OBJECT

public:
    struct Answer
    {
        bool ok = false;
        bool notFound = false; // read or remove: no such entry (not an error of the keyring)
        QByteArray secret;     // read: the secret; the receiver wipes it (wipeSecret) when done
        QString error;         // the keyring's own words, when !ok and !notFound
    };
    using Callback = std::function<void(Answer)>;

    explicit Keyring(QObject *parent = nullptr);
    ~Keyring() override;

    void read(const QString &key, Callback done);
    void write(const QString &key, const QByteArray &secret, Callback done);
    void remove(const QString &key, Callback done);

private:
    enum class Operation { Read, Write, Remove };
    void run(Operation operation, const QString &key, const QByteArray &secret, Callback done);

    std::shared_ptr<bool> m_alive; // false once this object goes: late answers are dropped
};

} // namespace Vigie
