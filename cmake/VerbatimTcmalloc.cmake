# verbatim_link_tcmalloc(TARGET): makes tcmalloc the process's malloc for an
# executable (when VERBATIM_TCMALLOC is on). --no-as-needed keeps the library
# even though no symbol is looked up in it by name: it replaces malloc/free
# for every library of the process by coming before libc in the search order.
function(verbatim_link_tcmalloc target)
  if(VERBATIM_TCMALLOC)
    target_link_libraries(${target} PRIVATE -Wl,--no-as-needed PkgConfig::TCMALLOC
                          -Wl,--as-needed)
  endif()
endfunction()
