#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

class QMimeData;
class QSettings;

namespace Vigie {

// A size of VM the operator places from the palette: vCPUs, memory, a system disk (none when
// 0) and an OS label. Kept in the settings; dragged as JSON in a MIME type of its own.
struct VmTemplate
{
    QString name;
    QString osLabel;
    int vcpus = 1;
    quint64 memoryMiB = 1024;
    quint64 diskGiB = 0; // 0: no disk (firmware only)

    static constexpr int MaxVcpus = 512;
    static constexpr quint64 MaxMemoryMiB = 16ULL * 1024 * 1024;
    static constexpr quint64 MaxDiskGiB = 64 * 1024;

    [[nodiscard]] bool isValid() const;
    // "2 vCPU · 4 GiB · 40 GiB disk · Debian 12", translated.
    [[nodiscard]] QString summary() const;

    [[nodiscard]] static QString mimeType();
    [[nodiscard]] QMimeData *toMimeData() const;
    // The template a drag carries; nothing for other data or a malformed or out-of-range one.
    [[nodiscard]] static std::optional<VmTemplate> fromMimeData(const QMimeData *data);

    // The operator's templates from SETTINGS (the defaults when none were ever saved), and back.
    [[nodiscard]] static QList<VmTemplate> load(QSettings &settings);
    static void save(QSettings &settings, const QList<VmTemplate> &templates);
    [[nodiscard]] static QList<VmTemplate> defaults();

    friend bool operator==(const VmTemplate &, const VmTemplate &) = default;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::VmTemplate)
