#pragma once

#include <QtGlobal>

#include <algorithm>
#include <vector>

namespace Vigie {

// A fixed-capacity FIFO: pushing onto a full buffer overwrites the oldest element. Storage grows
// geometrically up to the capacity and never beyond, so a buffer never costs more than
// boundBytes(capacity) and a short-lived series does not pay for a full hour. Index 0 is the
// oldest element.
template<typename T>
class RingBuffer
{
public:
    explicit RingBuffer(qsizetype capacity = 3600)
        : m_capacity(std::max<qsizetype>(capacity, 1))
    {
    }

    void push(const T &value)
    {
        if (qsizetype(m_data.size()) < m_capacity) {
            if (m_data.size() == m_data.capacity())
                m_data.reserve(size_t(std::min<qsizetype>(m_capacity, std::max<qsizetype>(16, 2 * qsizetype(m_data.size())))));
            m_data.push_back(value);
            return;
        }
        m_data[size_t(m_head)] = value;
        m_head = (m_head + 1) % m_capacity;
    }

    void clear()
    {
        m_data.clear();
        m_data.shrink_to_fit();
        m_head = 0;
    }

    [[nodiscard]] qsizetype size() const { return qsizetype(m_data.size()); }
    [[nodiscard]] qsizetype capacity() const { return m_capacity; }
    [[nodiscard]] bool isEmpty() const { return m_data.empty(); }
    [[nodiscard]] bool isFull() const { return size() == m_capacity; }
    [[nodiscard]] const T &at(qsizetype i) const
    {
        Q_ASSERT(i >= 0 && i < size());
        return m_data[size_t((m_head + i) % m_capacity)];
    }
    [[nodiscard]] const T &first() const { return at(0); }
    [[nodiscard]] const T &last() const { return at(size() - 1); }

    // First index whose element is not less than key under less(element, key); size() if none.
    // The elements must be sorted in that order (time series are).
    template<typename Key, typename Less>
    [[nodiscard]] qsizetype lowerBound(const Key &key, Less less) const
    {
        qsizetype lo = 0;
        qsizetype hi = size();
        while (lo < hi) {
            const qsizetype mid = lo + (hi - lo) / 2;
            if (less(at(mid), key))
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    // Memory held now, and the most it will ever hold.
    [[nodiscard]] qsizetype allocatedBytes() const { return qsizetype(m_data.capacity() * sizeof(T)); }
    [[nodiscard]] static constexpr qsizetype boundBytes(qsizetype capacity) { return capacity * qsizetype(sizeof(T)); }

private:
    std::vector<T> m_data;
    qsizetype m_capacity;
    qsizetype m_head = 0; // index of the oldest element once the buffer has wrapped
};

} // namespace Vigie
