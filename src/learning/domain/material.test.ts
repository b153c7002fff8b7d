import { describe, expect, it } from 'vitest';
import { fileTypeOf } from '../../platform/file-types';
import { MATERIAL_FILE_TYPES, MATERIAL_NAME, materialName } from './material';

describe('a programme’s material', () => {
  it('is kept under one word an outline line can end with', () => {
    expect(materialName('C:\\Users\\admin\\NPQH Handbook  (2026).pdf', 'pdf')).toBe('NPQH-Handbook-(2026).pdf');
    expect(materialName('slides.PPTX', 'pptx')).toBe('slides.pptx');
    expect(materialName('..."".docx', 'docx')).toBe('material.docx');
    for (const name of ['NPQH-Handbook-(2026).pdf', 'slides.pptx', 'material.docx']) expect(name).toMatch(MATERIAL_NAME);
  });

  it('is always a name the outline can name, whatever the file was called', () => {
    const sent = ['_notes.pdf', '(1) slides.pdf', 'café menu.pdf', 'cafe\u0301 menu.pdf', 'İstanbul.pdf', 'تقرير.pdf', '...pdf', 'a"b\nc.pdf', '%22quoted%22.pdf', '--x--.pdf', '😀 smile.pdf', `${'long '.repeat(60)}.pdf`, 'report.pdf.exe', ''];
    for (const name of sent) expect(materialName(name, 'pdf'), name).toMatch(MATERIAL_NAME);
    expect(materialName('_notes.pdf', 'pdf')).toBe('notes.pdf');
    expect(materialName('(1) slides.pdf', 'pdf')).toBe('1)-slides.pdf');
    expect(materialName('cafe\u0301 menu.pdf', 'pdf')).toBe('cafe-menu.pdf');
    expect(materialName('İstanbul.pdf', 'pdf')).toBe('Istanbul.pdf');
    expect(materialName('تقرير.pdf', 'pdf')).toBe('material.pdf');
  });

  it('is a document, slides, a spreadsheet or a picture by its bytes; never a program, whatever its name', () => {
    expect(fileTypeOf('pptx', 'deck.pptx', MATERIAL_FILE_TYPES)).toBe('pptx');
    expect(fileTypeOf('png', 'diagram.png', MATERIAL_FILE_TYPES)).toBe('png');
    expect(fileTypeOf('exe', 'handbook.pdf', MATERIAL_FILE_TYPES)).toBeUndefined();
    expect(fileTypeOf('html', 'page.pdf', MATERIAL_FILE_TYPES)).toBeUndefined();
    expect(fileTypeOf('cfb', 'old.xls', MATERIAL_FILE_TYPES)).toBeUndefined();
  });
});
