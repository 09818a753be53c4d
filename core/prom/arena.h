#pragma once
// Append-only string storage whose views stay valid while the arena lives, also
// across moves of the owner: memory comes in heap blocks that never move.
#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace vigil {

class StringArena
{
  public:
    // Copies `text` into the arena and returns a view of the copy.
    std::string_view store(std::string_view text)
    {
        char* p = allocate(text.size());
        if (!text.empty())
            std::char_traits<char>::copy(p, text.data(), text.size());
        return {p, text.size()};
    }

    // Like store(), in a block of exactly that size: a read past the end of the copy
    // is then a heap overflow that AddressSanitizer reports, not a silent read.
    std::string_view storeSeparately(std::string_view text)
    {
        m_blocks.push_back(std::make_unique_for_overwrite<char[]>(text.empty() ? 1 : text.size()));
        char* p = m_blocks.back().get();
        if (!text.empty())
            std::char_traits<char>::copy(p, text.data(), text.size());
        return {p, text.size()};
    }

    // Uninitialised room for `size` chars; the caller fills it before making a view.
    char* allocate(std::size_t size)
    {
        if (size > m_free) {
            const std::size_t blockSize = size > kBlockSize / 4 ? size : kBlockSize;
            m_blocks.push_back(std::make_unique_for_overwrite<char[]>(blockSize == 0 ? 1 : blockSize));
            m_next = m_blocks.back().get();
            m_free = blockSize;
            if (blockSize != kBlockSize) {
                // An oversized block is used once; keep filling the previous small one.
                char* p = m_next;
                m_next = nullptr;
                m_free = 0;
                return p;
            }
        }
        char* p = m_next;
        m_next += size;
        m_free -= size;
        return p;
    }

  private:
    static constexpr std::size_t kBlockSize = 16 * 1024;
    std::vector<std::unique_ptr<char[]>> m_blocks;
    char* m_next = nullptr;
    std::size_t m_free = 0;
};

} // namespace vigil
