#pragma once
// Read buffers for the loader, padded for simdjson and recycled between blocks.
#include "ingest/jsonl_block.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

namespace vigil::ingest {

struct Buffer
{
    std::unique_ptr<char[]> data;
    std::size_t allocated = 0; // including simdjson's padding
};

// Blocks are recycled: a fresh allocation of a block (8 MiB) costs page faults on
// every block, a reused one is already mapped.
class BufferRecycler : public std::enable_shared_from_this<BufferRecycler>
{
  public:
    BufferRecycler(std::size_t blockBytes, std::size_t keep)
        : m_minBytes(blockBytes + (1u << 20)), m_keep(keep)
    {
    }

    std::shared_ptr<Buffer> acquire(std::size_t bytes)
    {
        std::unique_ptr<Buffer> buffer;
        {
            std::lock_guard lock(m_mutex);
            for (std::size_t i = 0; i < m_free.size(); ++i) {
                if (m_free[i]->allocated >= bytes + jsonPadding()) {
                    buffer = std::move(m_free[i]);
                    m_free.erase(m_free.begin() + static_cast<std::ptrdiff_t>(i));
                    break;
                }
            }
        }
        if (!buffer) {
            buffer = std::make_unique<Buffer>();
            buffer->allocated = std::max(bytes, m_minBytes) + jsonPadding();
            buffer->data.reset(new char[buffer->allocated]);
        }
        auto self = shared_from_this();
        return std::shared_ptr<Buffer>(buffer.release(), [self](Buffer* b) { self->release(b); });
    }

  private:
    void release(Buffer* raw)
    {
        std::unique_ptr<Buffer> buffer(raw);
        std::lock_guard lock(m_mutex);
        if (m_free.size() < m_keep)
            m_free.push_back(std::move(buffer));
    }

    std::size_t m_minBytes;
    std::size_t m_keep;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<Buffer>> m_free;
};

} // namespace vigil::ingest
