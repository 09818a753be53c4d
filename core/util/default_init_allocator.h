#pragma once
// An allocator whose value-less construct() default-initialises: resize() of a vector of
// trivial values leaves them unwritten instead of zeroing them, for a buffer that is
// overwritten in full right after (zeroing 16 MB that the next loop rewrites doubled the
// cost of preparing a drift reference).
#include <memory>
#include <type_traits>
#include <utility>

namespace vigil {

template <typename T, typename Base = std::allocator<T>> class DefaultInitAllocator : public Base
{
    using Traits = std::allocator_traits<Base>;

  public:
    using Base::Base;
    DefaultInitAllocator() = default;
    template <typename U> struct rebind
    {
        using other = DefaultInitAllocator<U, typename Traits::template rebind_alloc<U>>;
    };

    template <typename U> void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>)
    {
        ::new (static_cast<void*>(p)) U; // default-initialisation: no zeroing
    }
    template <typename U, typename... Args> void construct(U* p, Args&&... args)
    {
        Traits::construct(static_cast<Base&>(*this), p, std::forward<Args>(args)...);
    }
};

} // namespace vigil
