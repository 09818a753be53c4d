# Flags for the project's own targets live on this interface target, never in
# CMAKE_CXX_FLAGS, so third-party headers and generated code are not held to them.
add_library(vigil_options INTERFACE)
target_compile_features(vigil_options INTERFACE cxx_std_20)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(vigil_options INTERFACE -Wall -Wextra -Wpedantic -Werror
    -Wno-error=deprecated-declarations)
endif()
target_compile_definitions(vigil_options INTERFACE
  QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_USE_QSTRINGBUILDER QT_NO_FOREACH)

set(VIGIL_SANITIZE "" CACHE STRING "Sanitizers for the project's targets, e.g. address,undefined")
if(VIGIL_SANITIZE)
  target_compile_options(vigil_options INTERFACE -fsanitize=${VIGIL_SANITIZE} -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(vigil_options INTERFACE -fsanitize=${VIGIL_SANITIZE})
endif()
